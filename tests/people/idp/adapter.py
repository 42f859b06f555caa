from allauth.idp.oidc.adapter import DefaultOIDCAdapter


class DepartmentClaimAdapter(DefaultOIDCAdapter):
    """Adds the person's department (here: the name of their first group) as the claim
    "department", as a Keycloak mapper or an Entra ID optional claim would."""

    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs):
        claims = super().get_claims(purpose, user, client, scopes, email=email, **kwargs)
        if "profile" in scopes:
            group = user.groups.exclude(name__startswith="directory-id:").order_by("pk").first()
            if group is not None:
                claims["department"] = group.name
            marker = user.groups.filter(name__startswith="directory-id:").first()
            if marker is not None:  # as Keycloak's "LDAP_ID" mapper sends the directory's entryUUID
                claims["ldap_id"] = marker.name.removeprefix("directory-id:")
        return claims
