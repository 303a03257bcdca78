from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at=None)


class Message(models.Model):
    """An e-mail waiting to be sent, or the record that it was sent.

    The key says what the message is about (a reminder of a round on a day, a subscriber's
    digest of a day): it is unique, so a message queued twice is one message, and a task that
    runs twice finds it sent. Once sent, the address and the text are blanked; the key stays
    for a while (`prune_outbox`), so that a late second run still finds it.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.EmailField(_("recipient"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]

    def __str__(self):
        return self.key
