"""The fake cloud and Azure AD: metadata, OpenID configuration, tokens, callers."""

import base64
import json
import time
from dataclasses import dataclass
from urllib.parse import parse_qs

from .errors import ArmError
from .http import Response, json_response

AUDIENCE = "https://management.core.windows.net/"


def cloud_metadata(base_url):
    """ONE cloud object, as `az cloud register --endpoint-resource-manager` expects."""
    return {
        "name": "SigEmulator",
        "resourceManager": base_url + "/",
        "portal": base_url + "/portal",
        "graph": base_url + "/graph/",
        "graphAudience": base_url + "/graph/",
        "microsoftGraphResourceId": base_url + "/msgraph/",
        "media": base_url + "/media/",
        "gallery": base_url + "/gallery/",
        "batch": base_url + "/batch/",
        "sqlManagement": base_url + "/sql/",
        "activeDirectoryDataLake": base_url + "/datalake/",
        "vmImageAliasDoc": base_url + "/aliases.json",
        "authentication": {
            "loginEndpoint": base_url + "/",
            "audiences": [AUDIENCE, base_url + "/"],
            "tenant": "common",
            "identityProvider": "AAD",
        },
        "suffixes": {
            "azureDataLakeStoreFileSystem": "azuredatalakestore.net",
            "acrLoginServer": "azurecr.io",
            "sqlServerHostname": "database.windows.net",
            "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
            "keyVaultDns": "vault.azure.net",
            "storage": "core.windows.net",
            "azureFrontDoorEndpointSuffix": "azurefd.net",
        },
    }


def openid_configuration(base_url, tenant):
    return {
        "issuer": f"{base_url}/{tenant}/v2.0",
        "authorization_endpoint": f"{base_url}/{tenant}/oauth2/v2.0/authorize",
        "token_endpoint": f"{base_url}/{tenant}/oauth2/v2.0/token",
        "device_authorization_endpoint": f"{base_url}/{tenant}/oauth2/v2.0/devicecode",
        "jwks_uri": f"{base_url}/{tenant}/discovery/v2.0/keys",
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "tenant_region_scope": "NA",
    }


def _b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def make_token(base_url, tenant, app_id, object_id, lifetime=3600):
    now = int(time.time())
    payload = {"aud": AUDIENCE, "iss": f"{base_url}/{tenant}/v2.0", "iat": now, "nbf": now,
               "exp": now + lifetime, "tid": tenant, "oid": object_id, "appid": app_id,
               "sub": object_id, "idtyp": "app", "ver": "1.0"}
    return ".".join([_b64({"alg": "RS256", "typ": "JWT", "kid": "emulator"}), _b64(payload),
                     "ZW11bGF0b3I"])


def token_response(state, base_url, tenant, raw_body):
    form = {k: v[0] for k, v in parse_qs(raw_body.decode("utf-8", "replace")).items()}
    known_tenant = _tenant_id(state, tenant)
    if known_tenant is None:
        return json_response({"error": "invalid_request",
                              "error_description": f"AADSTS90002: Tenant '{tenant}' not found."},
                             400)
    principal = state.principal
    if form.get("client_id") != principal["app_id"] or \
            form.get("client_secret") != principal["password"]:
        return json_response({"error": "invalid_client",
                              "error_description": "AADSTS7000215: Invalid client secret "
                              "provided. Ensure the secret being sent in the request is the "
                              "client secret value, not the client secret ID."}, 401)
    token = make_token(base_url, known_tenant, principal["app_id"], principal["object_id"])
    return json_response({"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600,
                          "access_token": token})


def _tenant_id(state, tenant):
    for item in state.tenants:
        if tenant.lower() in (item["id"].lower(), str(item.get("domain", "")).lower()):
            return item["id"]
    if tenant.lower() in ("organizations", "common"):
        return state.principal["tenant"]
    return None


@dataclass
class Caller:
    tenant: str
    app_id: str
    object_id: str
    auxiliary_tenants: tuple = ()   # from x-ms-authorization-auxiliary (cross-tenant writes)


def _claims(bearer):
    try:
        payload = bearer.split()[1].split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as error:
        raise ArmError(401, "InvalidAuthenticationToken",
                       "The access token is invalid.") from error


def caller_from_headers(header, auxiliary=None):
    """Decode (not verify: they are our own tokens) the bearer tokens of an ARM request."""
    if not header or not header.lower().startswith("bearer "):
        raise ArmError(401, "AuthenticationFailed",
                       "Authentication failed. The 'Authorization' header is missing.")
    claims = _claims(header)
    if claims.get("exp", 0) < time.time():
        raise ArmError(401, "ExpiredAuthenticationToken",
                       "The access token expiry UTC time is earlier than current UTC time.")
    aux = tuple(_claims(token.strip()).get("tid") for token in (auxiliary or "").split(",")
                if token.strip().lower().startswith("bearer "))
    return Caller(claims.get("tid"), claims.get("appid"), claims.get("oid"), aux)


def empty_keys():
    return Response(200, {"keys": []})
