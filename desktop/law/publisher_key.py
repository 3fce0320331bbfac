"""The Complaint Desk publisher's PUBLIC key (Ed25519): the bundled law pack must be signed by it.

The private key is never in the repository; ``packaging/sign_law_pack.py --key PATH``
re-signs ``resources/law`` after the pack is rebuilt. Replacing this key means
re-signing the bundled pack with the new private key in the same commit.
"""

from __future__ import annotations

PUBLISHER_PUBLIC_KEY = b"""-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAEciqP2mEaQg+J32PAXRhcs6hGNq2ORUmnN+PjxWSNfM=
-----END PUBLIC KEY-----
"""
