from __future__ import annotations

from celery import shared_task
from django.core.management import call_command

from accounts import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(invitation_id: int) -> bool:
    return services.invitation_send(invitation_id=invitation_id)


@shared_task
def purge_expired_sessions() -> None:
    call_command("clearsessions")
