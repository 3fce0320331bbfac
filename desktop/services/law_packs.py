"""A site's own law pack: signed with the site CA and imported by an administrator, both audited.

The bundled pack carries the publisher's signature; a site that publishes its own pack
(a newer statute text, its own guidance) signs it with the site CA here, then imports it.
Every load verifies the signature again (``desktop.law.loader``), so a pack edited in the
data folder afterwards is refused and the previous pack stays in use.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import hashes

from desktop.i18n import _
from desktop.law import LawPack, PackDiff, PackValidationError, import_pack
from desktop.law.loader import verify_pack
from desktop.law.signing import PackSignatureError, PackSigner, sign_with_site_ca
from desktop.letters.content import LetterError
from desktop.letters.keys import open_site_ca, site_ca_dir
from desktop.services.errors import ServiceError
from desktop.services.keys import KeyService
from desktop.services.permissions import require
from desktop.services.records import Actor


class LawPackError(ServiceError):
    """The pack cannot be signed or imported; the message lists why."""


def sign_site_pack(keys: KeyService, actor: Actor, folder: Path, ca_passphrase: bytes,
                   ca_dir: Path | None = None) -> tuple[LawPack, PackSigner]:
    """Sign the pack in ``folder`` with the site CA (never a demo CA), then prove it loads."""
    require(actor, "lawpack.import")
    try:
        ca = open_site_ca(ca_dir or site_ca_dir(), ca_passphrase)
    except LetterError as error:
        raise LawPackError(str(error)) from error
    if ca.is_demo:
        raise LawPackError(_("The demo CA cannot sign a law pack; create the site's own CA first."))
    try:
        sign_with_site_ca(folder, ca.certificate, ca.private_key)
        pack, signer = verify_pack(folder, site_roots=[ca.certificate])
    except (PackSignatureError, OSError) as error:
        raise LawPackError(str(error)) from error
    except PackValidationError as error:
        raise LawPackError(_("The law pack is invalid: {problems}").format(
            problems="; ".join(error.problems))) from error
    keys.record(actor, "sign_law_pack", f"law pack {pack.pack_version}",
                ca.certificate.fingerprint(hashes.SHA256()).hex(), {"folder": str(folder)})
    assert signer is not None
    return pack, signer


def import_site_pack(keys: KeyService, actor: Actor, folder: Path,
                     current: LawPack | None = None) -> tuple[LawPack, PackDiff]:
    """Import a newer pack signed by the publisher or a trusted site CA (administrators only)."""
    require(actor, "lawpack.import")
    try:
        pack, diff = import_pack(folder, current)
    except PackValidationError as error:
        raise LawPackError(_("The law pack is invalid: {problems}").format(
            problems="; ".join(error.problems))) from error
    except OSError as error:
        raise LawPackError(_("The law pack cannot be copied: {error}").format(error=error)) from error
    keys.record(actor, "import_law_pack", f"law pack {pack.pack_version}", None,
                {"folder": str(folder), "previous": diff.old_version, "changed": len(diff.changed)})
    return pack, diff
