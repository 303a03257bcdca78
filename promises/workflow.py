"""Workflows: the states an object passes through, and the steps (transitions) between them.

Each step is declared once, with the states it starts from, the state it leads to, who may take
it (a function of promises.permissions, answering by role only), its button label and its
success message. `Workflow.run()` is the one way a step is taken; the admin offers the steps
that `Workflow.available()` gives (promises.admin_workflow).
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

# Each step taken is a security event (security.events writes the same logger as JSON).
security_log = logging.getLogger("security")


@dataclass(frozen=True)
class Transition:
    name: str  # in the admin's URL
    label: str  # on its button
    sources: Sequence[str]  # the states it may be taken from
    allowed: Callable  # allowed(user, subject): who may take it, by role
    done: str  # the success message; %(<workflow's object_name>)s names the object
    # The state it leads to. None for a step that records something without changing the
    # state (approving a promise): run() then returns what `perform` returns.
    target: str | None = None
    # perform(obj, user, **kwargs): the step's own checks (raising ValidationError) and side
    # effects, before the new state is saved.
    perform: Callable | None = None
    reason: str = ""  # the history row's change reason
    wrong_state: str = ""  # the message when not in a source state, if not the workflow's
    denied: str = ""  # the PermissionDenied message
    # The prompt for the comment the step needs (passed to perform as `comment`), if any.
    comment_label: str = ""
    # applies(obj): whether the step exists for this object at all (a revision is published
    # differently from a promise of its own); by default it does.
    applies: Callable = field(default=lambda obj: True)


@dataclass(frozen=True)
class Workflow:
    object_name: str  # how the messages name the object: %(round)s
    state_field: str
    transitions: Sequence[Transition]
    # Who may take a step is asked about this object (a round's promise), by default the
    # object itself.
    subject: Callable = field(default=lambda obj: obj)
    # wrong_state(obj, transition): the message when the object is not in a source state,
    # for transitions without a `wrong_state` of their own.
    wrong_state: Callable | None = None
    full_clean: bool = False  # validate the whole object before saving the new state

    def __getitem__(self, name):
        for transition in self.transitions:
            if transition.name == name:
                return transition
        raise KeyError(name)

    def state(self, obj):
        return getattr(obj, self.state_field)

    def available(self, user, obj):
        """The steps the user may take now."""
        return [
            transition
            for transition in self.transitions
            if self.state(obj) in transition.sources
            and transition.applies(obj)
            and transition.allowed(user, self.subject(obj))
        ]

    @transaction.atomic
    def run(self, name, obj, user, **kwargs):
        """Take the step on `obj` (refreshed from its locked row) for `user`: ValidationError
        if the state does not allow it, PermissionDenied if the user may not."""
        transition = self[name]
        obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())
        source = self.state(obj)
        if source not in transition.sources or not transition.applies(obj):
            raise ValidationError(transition.wrong_state or self.wrong_state(obj, transition))
        if not transition.allowed(user, self.subject(obj)):
            self._log("workflow_step_denied", transition, obj, user, source)
            raise PermissionDenied(transition.denied)
        result = transition.perform(obj, user, **kwargs) if transition.perform else None
        # Logged once the step is committed: a step rolled back was never taken.
        transaction.on_commit(
            lambda: self._log("workflow_step", transition, obj, user, source),
            robust=True,
        )
        if transition.target is None:
            return result
        setattr(obj, self.state_field, transition.target)
        obj._history_user = user
        if transition.reason:
            # In the language of the admin page that took the step, for the history view.
            obj._change_reason = str(transition.reason)
        if self.full_clean:
            obj.full_clean()
        obj.save()  # the whole row: it is locked and was read afresh
        return obj

    def _log(self, event, transition, obj, user, source):
        security_log.log(
            logging.INFO if event == "workflow_step" else logging.WARNING,
            event,
            extra={
                "event": event,
                "user": user.get_username(),
                "user_id": user.pk,
                "object": obj._meta.label,
                "object_id": obj.pk,
                "transition": transition.name,
                "source": source,
                "target": transition.target or source,
            },
        )
