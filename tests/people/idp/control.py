"""Sets the test identity provider up and changes its users, from the test process:

python -m tests.people.idp.control setup '{"client_id": ..., "secret": ..., "redirect_uri": ...}'
python -m tests.people.idp.control user '{"email": ..., "password": ..., "first_name": ...,
                                         "last_name": ..., "department": ..., "is_active": true}'
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.people.idp.settings")


def main(command: str, payload: str) -> None:
    import django

    django.setup()
    data = json.loads(payload)
    if command == "setup":
        from allauth.idp.oidc.models import Client
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        client = Client(id=data["client_id"], name="Wissensnetz", skip_consent=True, type=Client.Type.CONFIDENTIAL)
        client.set_secret(data["secret"])
        client.set_redirect_uris([data["redirect_uri"]])
        client.set_scopes(["openid", "profile", "email"])
        client.set_default_scopes(["openid", "profile", "email"])
        client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE, Client.GrantType.REFRESH_TOKEN])
        client.set_response_types(["code"])
        client.save()
    elif command == "user":
        from allauth.account.models import EmailAddress
        from django.contrib.auth.models import Group, User

        user = User.objects.filter(email=data["email"]).first() or User(username=data["email"], email=data["email"])
        for field in ("first_name", "last_name", "is_active"):
            if field in data:
                setattr(user, field, data[field])
        if "password" in data:
            user.set_password(data["password"])
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=data["email"], defaults={"verified": True, "primary": True}
        )
        if "department" in data:
            user.groups.set([Group.objects.get_or_create(name=data["department"])[0]])
        if "directory_id" in data:
            user.groups.add(Group.objects.get_or_create(name=f"directory-id:{data['directory_id']}")[0])
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
