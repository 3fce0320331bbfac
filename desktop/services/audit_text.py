"""How an audit report reads, for the CLI and the desk alike."""

from __future__ import annotations

from desktop.i18n import _
from desktop.services.audit import AuditReport, CheckpointStatus
from desktop.store.chain import Finding


def finding_text(finding: Finding) -> str:
    case = finding.label or _("unknown case")
    if finding.kind == "removed":
        if finding.last_seq is not None and finding.last_seq != finding.seq:
            return _("entries {first}–{last} were removed").format(first=finding.seq, last=finding.last_seq)
        return _("entry {seq} was removed").format(seq=finding.seq)
    if finding.kind == "changed":
        return _("entry {seq} was changed (case {case}, event #{id})").format(
            seq=finding.seq, case=case, id=finding.row_id)
    if finding.kind == "reordered":
        return _("entry {seq} was moved here from place {origin} (case {case}, event #{id})").format(
            seq=finding.seq, origin=finding.origin, case=case, id=finding.row_id)
    if finding.kind == "rewritten":
        return _("entry {seq} was rewritten and re-hashed (case {case}, event #{id})").format(
            seq=finding.seq, case=case, id=finding.row_id)
    if finding.kind == "inserted":
        if finding.seq is None:
            return _("an entry outside the chain was inserted (case {case}, event #{id})").format(
                case=case, id=finding.row_id)
        return _("entry {seq} was inserted (case {case}, event #{id})").format(
            seq=finding.seq, case=case, id=finding.row_id)
    return _("the chain head (entry {seq}) does not match the last entry").format(seq=finding.seq)


def checkpoint_text(status: CheckpointStatus) -> str:
    point = status.checkpoint
    states = {
        "ok": _("valid"),
        "rewritten": _("BROKEN: the history at this place was rewritten"),
        "truncated": _("BROKEN: the history no longer reaches this place (truncated)"),
        "forged": _("FORGED: not signed with the site audit key"),
    }
    text = _("checkpoint at entry {seq}, signed {at} by {signer}: {state}").format(
        seq=point.seq, at=point.signed_at.strftime("%Y-%m-%d %H:%M:%S UTC"), signer=point.signer,
        state=states[status.state])
    if status.state == "ok" and status.signer_trusted is None:
        text += _(" (signer not checked: this seat trusts no site CA; use --trust)")
    return text


def report_text(report: AuditReport) -> str:
    chain = report.chain
    if report.intact:
        lines = [_("History intact: {entries} entries, last {seq} ({digest}…), checked in {seconds:.1f} s.").format(
            entries=chain.entries, seq=chain.head_seq, digest=chain.head_hash[:12], seconds=report.seconds)]
    else:
        lines = [_("History BROKEN: {count} problems found in {entries} entries ({seconds:.1f} s).").format(
            count=chain.total_findings + sum(s.state != "ok" for s in report.checkpoints),
            entries=chain.entries, seconds=report.seconds)]
        lines += ["  " + finding_text(finding) for finding in chain.findings]
        if chain.total_findings > len(chain.findings):
            lines.append("  " + _("… and {count} more").format(count=chain.total_findings - len(chain.findings)))
    if not report.checkpoints:
        lines.append(_("No signed checkpoint yet: an admin runs “complaint-desk audit checkpoint”."))
    lines += [checkpoint_text(status) for status in report.checkpoints]
    return "\n".join(lines)
