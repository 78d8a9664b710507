"""Who may do what with a letter request, one rule each, as methods of LetterRequest.

Separation of duties: whoever filed a request at the counter decides none of its steps, and a
request filed by the very Kasi its letter type names is checked by the other Kasi instead; the
inbox, the workflow and the notices all follow that route.

Need to know: an official sees a request, its uploads and its letter only once it has reached
their step on that route (the Kasi from `diajukan` on, the Sekdes from `diverifikasi`, the
Kades from `diperiksa`), or when they filed it. The operator sees the register and the data
they administer, not residents' requests and scans, unless they give a reason, which the
resident reads in the access log. Every opening by an official is written to that log."""
from balai.letters.workflow import (
    OPEN_BEFORE_APPROVING,
    OTHER_KASI,
    ROUTE,
    STEPS,
    VERIFIER_TITLES,
    official_roles,
)
from balai.people.audit import AccessLogEntry
from balai.people.models import User
from balai.signing.models import kades_signers, signs_as_kades


def kasi_turn(user, verifier, filer_role):
    """As a query condition, for many requests at once: the Kasi step is this Kasi's (kasi_role),
    given the columns of the letter type's verifier and of the filer's role."""
    other = OTHER_KASI[user.role]
    return (((verifier == user.role) & (filer_role != user.role))
            | ((verifier == other) & (filer_role == other)))


class RequestAccess:
    """The access rules of LetterRequest. Views answer a refused rule with 404 for a resident
    and 403 for an official (web.access.permitted)."""

    @property
    def kasi_role(self):
        """The user role that decides this request's Kasi step: the Kasi its letter type names,
        or the other Kasi when the named one filed it at the counter."""
        verifier = self.letter_type.verifier
        return OTHER_KASI[verifier] if self.created_by.role == verifier else verifier

    @property
    def kasi_title(self):
        return VERIFIER_TITLES[self.kasi_role]

    def is_applicant(self, user):
        """The resident, or the official who filed it at the counter: they send and change it."""
        return user.person_id == self.person_id or (self.filed_at_counter
                                                    and user.id == self.created_by_id)

    def roles_of(self, user):
        """The workflow roles this user holds on this request; the applicant side holds no
        deciding role, so whoever filed a request acts on no step of it."""
        if self.is_applicant(user):
            return {"pemohon"}
        roles = official_roles(user)
        if user.role != self.kasi_role:
            roles.discard("kasi")
        return roles

    def deciders(self, role):
        """The active officials who may decide this role's step on this request (whom the step
        tells): never the one who filed it."""
        if role == "kades":
            return [user for user in kades_signers() if user.id != self.created_by_id]
        user_role = {"kasi": self.kasi_role, "sekdes": "sekdes"}[role]
        return User.select().where((User.role == user_role) & (User.active == True)  # noqa: E712
                                   & (User.id != self.created_by_id))

    @property
    def undecidable(self):
        """True when no one may decide the step the request waits at: its only holder filed it
        (the Sekdes, or the Kades with no acting Kades, filing at the counter). The request
        waits, and its pages say so: the operator can give the step to another official (an
        acting Kades's signing period, or a second account with that role)."""
        role = STEPS[self.status].official
        return bool(role) and not list(self.deciders(role))

    def waits_for(self, user):
        """True when the next official step is this user's."""
        return STEPS[self.status].official in self.roles_of(user)

    def duty_of(self, user):
        """The latest step of the route that lets this official see the request, or None.

        A step lets them see it when they hold its role on this request and the request is at
        or past it; or when they decided it themselves (an acting Kades keeps what they signed
        after their period). A returned, rejected or cancelled request is past the steps its
        events reached, so whoever had it keeps seeing it, and no one new does."""
        roles = self.roles_of(user)
        events = list(self.events)
        here = ROUTE[:ROUTE.index(self.status) + 1] if self.status in ROUTE else ()
        reached = set(here) | {event.to_status for event in events}
        decided = {event.from_status for event in events if event.actor_id == user.id}
        held = [state for state in ROUTE if STEPS[state].official
                and ((state in reached and STEPS[state].official in roles) or state in decided)]
        return held[-1] if held else None

    def access_reason(self, user):
        """Why this user may see the request, its uploads and its letter, in the words the
        access log shows the resident; None when they may not: the applicant side, an official
        whose step it reached (duty_of), or the operator, for a while after giving a reason."""
        if self.is_applicant(user):
            return "Mengajukan permohonan ini di loket" if user.is_official else "Pemohon"
        if not user.is_official:
            return None
        duty = self.duty_of(user)
        if duty:
            return STEPS[duty].duty.format(kasi=self.kasi_title)
        if user.role == "operator":
            return AccessLogEntry.reason_given(user, "permohonan", self.id)
        return None

    def can_view(self, user):
        """The request's page (in the inbox too), its uploads and its letter: one rule for all."""
        return self.access_reason(user) is not None

    def record_view(self, user, kind, object_id):
        """Write to the access log that an official opened this request, a file or its letter."""
        if user.is_official:
            AccessLogEntry.record(user, self.person_id, kind, object_id, self.access_reason(user))

    def opened_since_sent(self, user):
        """True when this official opened the request's page since it was last sent (the
        access log's row of that opening): what approving at an OPEN_BEFORE_APPROVING step
        needs."""
        return AccessLogEntry.select().where(
            (AccessLogEntry.viewer == user) & (AccessLogEntry.kind == "permohonan")
            & (AccessLogEntry.object_id == self.id)
            & (AccessLogEntry.at >= self.submitted_at)).exists()

    @property
    def approved_from_page_only(self):
        """The step it waits at approves only from the request's page, never from the list."""
        return STEPS[self.status].official in OPEN_BEFORE_APPROVING

    def open_anyway(self, user, reason):
        """The operator opens a request they have no step in, for the reason they typed."""
        AccessLogEntry.record(user, self.person_id, "permohonan", self.id, reason, typed=True)

    def can_revoke(self, user):
        """Withdrawing an issued letter: the Kades (or whoever signs for them) and the operator,
        from the register (its page shows the register's facts alone)."""
        return user.role == "operator" or signs_as_kades(user)
