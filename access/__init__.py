"""Who may see and change what (issue #6).

One idea per module, no web framework below ``middleware``:

- ``principal``  who is calling: an access role scoped to a place (or a unit)
- ``tokens``     bearer tokens: JWTs (HS256/RS256) and hashed API tokens -> Principal
- ``token_store`` API tokens and JWT revocations as ApiToken nodes (only hashes stored)
- ``policy``     the one place that decides: ``authorize(principal, action, target)``
- ``masking``    phone numbers and names for callers not entitled to them
- ``audit``      the append-only trail of every write
- ``limits``     rate limits, body size, request deadline, GraphQL document limits
- ``middleware`` the ASGI edge: authenticate once per request, rate limit, JSON refusals
"""
