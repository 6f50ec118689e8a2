"""Secrets the stack creates in Secrets Manager (the token key, the partners' keys), read at
the first call that needs one and then kept five minutes per process.

Import this module lazily, where a token or a signature is verified: the Secrets Manager
client costs cold start that anonymous reads never pay. Its timeouts and retries are
explicit so that a read cannot outlive the function: at worst 3 attempts x (1 s connect +
1 s read) + backoff (standard mode: under 1 s, then under 2 s) = 9 s, below the 10 s
timeout. Whatever goes wrong (missing, empty, access denied, throttled, unreachable) is one
error for the caller, 503 SECRET_UNAVAILABLE; the reason goes to the log.
"""

from __future__ import annotations

import logging
from functools import cache

from aws_lambda_powertools.utilities.parameters import SecretsProvider
from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError
from botocore.config import Config
from botocore.exceptions import BotoCoreError

from plugins.errors import SecretUnavailableError

__all__ = ["CLIENT_CONFIG", "MAX_AGE_SECONDS", "provider", "read_secret"]

MAX_AGE_SECONDS = 300
CLIENT_CONFIG = Config(connect_timeout=1, read_timeout=1,
                       retries={"mode": "standard", "total_max_attempts": 3})
logger = logging.getLogger(__name__)


@cache
def provider() -> SecretsProvider:
    """One Secrets Manager client per process (Powertools keeps the values it reads)."""
    return SecretsProvider(boto_config=CLIENT_CONFIG)


def read_secret(secret_id: str) -> str:
    """The secret's string value, at most five minutes old, or SecretUnavailableError."""
    try:
        value = provider().get(secret_id, max_age=MAX_AGE_SECONDS)
    except (GetParameterError, BotoCoreError) as exc:
        logger.warning("secret %s cannot be read: %s", secret_id, exc)
        raise SecretUnavailableError("a secret this call needs cannot be read; retry later") from None
    if not isinstance(value, str) or not value.strip():
        logger.warning("secret %s is empty or not a string", secret_id)
        raise SecretUnavailableError("a secret this call needs is empty; retry later")
    return value
