"""Who gets a new complaint: the site's ``auto_assign`` setting (off, round robin, least load)."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.services.records import Actor
from desktop.store.models import Complaint, SiteSetting, User

AUTO_ASSIGN_KEY = "auto_assign"
AUTO_ASSIGN_MODES = ("off", "round_robin", "least_load")


def pick_assignee(session: Session, actor: Actor) -> int | None:
    """Who gets a new complaint under the site's ``auto_assign`` setting (None: whoever registers it).

    ``round_robin`` gives it to the next agent of the registering user's team (by login) after the one
    who got the latest complaint; ``least_load`` to the team's agent with the fewest open cases.
    """
    setting = session.get(SiteSetting, AUTO_ASSIGN_KEY)
    mode = json.loads(setting.value) if setting is not None else "off"
    if mode not in ("round_robin", "least_load"):
        return None
    team = select(User.id, User.login).where(User.active.is_(True), User.role == "agent")
    team = team.where(User.team.is_(None) if actor.team is None else User.team == actor.team)
    agents = [(agent_id, login) for agent_id, login in session.execute(team.order_by(User.login))]
    if not agents:
        return None
    ids = [agent_id for agent_id, _login in agents]
    if mode == "least_load":
        loads: dict[int | None, int] = {agent_id: count for agent_id, count in session.execute(
            select(Complaint.assigned_agent_id, func.count())
            .where(Complaint.is_open.is_(True), Complaint.assigned_agent_id.in_(ids))
            .group_by(Complaint.assigned_agent_id))}
        return min(ids, key=lambda agent_id: (loads.get(agent_id, 0), ids.index(agent_id)))
    last = session.execute(select(Complaint.assigned_agent_id).where(Complaint.assigned_agent_id.in_(ids))
                           .order_by(Complaint.id.desc()).limit(1)).scalar_one_or_none()
    return ids[(ids.index(last) + 1) % len(ids)] if last in ids else ids[0]
