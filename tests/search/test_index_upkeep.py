"""Index upkeep for changes that Wagtail makes without a save signal."""

import pytest
from wagtail.models import Page


@pytest.mark.django_db(transaction=True)
def test_a_moved_page_and_its_children_are_found_under_their_new_parent(home_page):
    bauamt = home_page.add_child(instance=Page(title="Bauamt", slug="bauamt"))
    buergeramt = home_page.add_child(instance=Page(title="Bürgeramt", slug="buergeramt"))
    guide = bauamt.add_child(instance=Page(title="Leitfaden Sondernutzungserlaubnis", slug="leitfaden"))
    guide.add_child(instance=Page(title="Sondernutzungserlaubnis Formular", slug="formular"))

    assert {p.title for p in Page.objects.descendant_of(bauamt).search("Sondernutzungserlaubnis")} == {
        "Leitfaden Sondernutzungserlaubnis",
        "Sondernutzungserlaubnis Formular",
    }

    Page.objects.get(pk=guide.pk).move(buergeramt, pos="last-child")

    found_under_new = {p.title for p in Page.objects.descendant_of(buergeramt).search("Sondernutzungserlaubnis")}
    found_under_old = list(Page.objects.descendant_of(bauamt).search("Sondernutzungserlaubnis"))
    assert found_under_new == {"Leitfaden Sondernutzungserlaubnis", "Sondernutzungserlaubnis Formular"}
    assert found_under_old == []
