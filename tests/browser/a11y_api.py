"""Page types of the API issue for the accessibility check: the token page with a list of tokens,
and the API documentation (the whole OpenAPI schema rendered in the site's layout)."""


def pages(user):
    from intranet import tokens

    tokens.create_token(user=user, name="Monitoring", scope="read", expires_in_days=30)
    revoked, _plain = tokens.create_token(user=user, name="Altes Skript", scope="write")
    tokens.revoke_token(token=revoked, by=user)
    return [("API tokens", "/api-zugang/"), ("API documentation", "/api/v1/docs")]
