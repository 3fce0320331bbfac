"""Sign a statute pack with the publisher's Ed25519 key: writes ``pack.sig`` beside ``pack.json``.

Usage::

    python packaging/sign_law_pack.py --key /secure/publisher-ed25519.pem [--pack resources/law]

The private key never enters the repository; the public key the app checks against is
``desktop/law/publisher_key.py``. The script refuses a key whose public half differs
from that one, so a pack is never signed with a key the app will not accept.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: E402

from desktop.law.loader import load_pack  # noqa: E402
from desktop.law.signing import publisher_key, sign_with_publisher_key  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--key", type=Path, required=True, help="the publisher's private key (PEM, Ed25519)")
    parser.add_argument("--pack", type=Path, default=ROOT / "resources" / "law", help="the pack folder")
    args = parser.parse_args(argv)
    try:
        key = serialization.load_pem_private_key(args.key.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        print(f"cannot read the key {args.key}: {error}", file=sys.stderr)
        return 2
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        print("the publisher key must be an Ed25519 private key", file=sys.stderr)
        return 2
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    if key.public_key().public_bytes(*raw) != publisher_key().public_bytes(*raw):
        print("this key is not the publisher key in desktop/law/publisher_key.py", file=sys.stderr)
        return 2
    signature = sign_with_publisher_key(args.pack, key)
    pack = load_pack(args.pack)  # proves the signed pack loads as the app will load it
    print(f"signed {args.pack} (pack {pack.pack_version}): {signature}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
