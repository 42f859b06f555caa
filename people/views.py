"""Thin views: parse the request, call a selector or an action, render."""

import json

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import ActivateTOTPView as AllauthActivateTOTPView
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import actions, privacy, queries
from .absences import Contact, kept_absences
from .forms import AbsenceForm, EraseUserForm, ProfileForm
from .models import Department, Profile, User


def directory(request):
    """The staff directory: search, filters, A–Z; a fixed number of queries per page."""
    department = None
    department_slug = request.GET.get("abteilung", "")
    if department_slug:
        department = Department.objects.filter(slug=department_slug).first()
    letter = request.GET.get("buchstabe", "").upper()
    filters = queries.DirectoryFilters(
        q=request.GET.get("q", "").strip()[:200],
        department=department,
        letter=letter if letter in queries.LETTERS else "",
        expertise=request.GET.get("thema", "")[:100],
        include_subunits=request.GET.get("untereinheiten") == "1",
    )
    page = queries.directory_page(filters, request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    letter_query = request.GET.copy()
    for key in ("seite", "buchstabe"):
        letter_query.pop(key, None)
    return render(
        request,
        "people/directory.html",
        {
            "page": page,
            "filters": filters,
            "departments": queries.departments(),
            "expertise_tags": queries.popular_expertise(),
            "letters": queries.LETTERS,
            "query_string": query.urlencode(),
            "letter_query_string": letter_query.urlencode(),
        },
    )


def department(request, slug):
    department = get_object_or_404(Department, slug=slug)
    members = list(queries.department_members(department))
    return render(request, "people/department.html", {"department": department, "members": members})


def org_chart(request):
    """The administration's units as a tree (/personen/organisation/); a fixed number of queries."""
    return render(request, "people/org_chart.html", {"units": queries.org_chart()})


def profile(request, username):
    try:
        profile = queries.profile_for(username)
    except Profile.DoesNotExist:
        raise Http404 from None
    absence = profile.current_absence
    contact = Contact(responsible=profile.user, absence=absence, today=(absence and absence.stand_in) or profile.user)
    return render(
        request,
        "people/profile.html",
        {
            "profile": profile,
            "contact": contact,
            "stands_in_for": queries.deputy_for(profile),
            "is_own": profile.user_id == request.user.pk,
            "can_erase": privacy.can_erase_people(request.user) and profile.user_id != request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def edit_profile(request):
    profile = actions.ensure_profile(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=profile)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "expertise"}
            changes.update(form.save_user_fields())
            changes["deputy"] = form.cleaned_data["deputy"]
            for name, field in form.fields.items():
                if field.disabled:
                    changes.pop(name, None)
            expertise = None if form.fields["expertise"].disabled else form.cleaned_data["expertise"]
            actions.update_profile(profile=profile, changes=changes, expertise=expertise)
            messages.success(request, _("Your profile has been saved."))
            return redirect(profile.get_absolute_url())
    else:
        form = ProfileForm(instance=profile)
    return render(request, "people/profile_edit.html", {"form": form, "profile": profile})


@require_http_methods(["GET", "POST"])
def absences(request):
    """The signed-in person's absences (the current and the next one): add one, delete one."""
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_absence(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your absence has been saved."))
            return redirect("people:absences")
    status = 400 if form.errors else 200
    return render(
        request, "people/absences.html", {"form": form, "absences": kept_absences(request.user)}, status=status
    )


@require_POST
def delete_absence(request, pk):
    if actions.delete_absence(user=request.user, absence_id=pk):
        messages.success(request, _("The absence has been deleted."))
    else:
        raise Http404
    return redirect("people:absences")


def privacy_page(request):
    from django.conf import settings

    return render(
        request,
        "people/privacy.html",
        {"keep_posts": privacy.keep_posts_setting(), "session_hours": settings.SESSION_COOKIE_AGE // 3600},
    )


@require_POST
def export_data(request):
    """Everything stored about the signed-in person, as a JSON download (POST: no prefetching)."""
    data = privacy.collect_export(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    filename = f"wissensnetz-daten-{request.user.username}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def erase(request, username):
    if not privacy.can_erase_people(request.user):
        raise PermissionDenied
    person = get_object_or_404(User, username=username)
    if person.pk == request.user.pk:
        raise PermissionDenied
    form = EraseUserForm(request.POST or None, user=person)
    if request.method == "POST" and form.is_valid():
        name = person.get_full_name() or person.username
        privacy.erase_person(user=person, by=request.user)
        messages.success(request, _("%(name)s has been erased.") % {"name": name})
        return redirect("people:directory")
    return render(
        request,
        "people/erase.html",
        {"person": person, "form": form, "keep_posts": privacy.keep_posts_setting()},
    )


class ActivateTOTPView(AllauthActivateTOTPView):
    """allauth's activation of TOTP. The code typed to activate it shows the new second factor, so
    it counts as this session's: people.middleware need not ask for it again at once."""

    def form_valid(self, form):
        response = super().form_valid(form)
        record_authentication(self.request, self.request.user, "mfa", type=Authenticator.Type.TOTP, activated=True)
        return response


activate_totp = ActivateTOTPView.as_view()
