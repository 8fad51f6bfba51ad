"""Every read of case content is audited: one VIEW entry per response that showed cases."""

from __future__ import annotations

from cases import content
from cases.services.audit import audit_reads


class CaseReadAuditMiddleware:
    """Writes one audit entry (action VIEW) for each response of a signed-in user that showed
    case content, naming the cases: the rows of registered models (cases.content) that the
    request loaded. A list page gives one entry with the ids of the cases on the page, never
    one per row.

    Nothing is written for a redirect (the page that follows is audited itself); when the view
    raised (403, 404, an error: it showed nothing); for a view marked
    `cases.content.names_cases_only`; or for a case this request named in the audit log already
    (an export, a reveal). Anonymous requests show no case content (the calendar feed, opened
    by its token, carries none: piket/ics.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        with content.recording() as shown:
            response = self.get_response(request)
            shown_page = not shown.discarded and not 300 <= response.status_code < 400
            if shown_page and (case_ids := shown.unaudited()):
                audit_reads(actor=request.user, case_ids=case_ids)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "shows_case_content", True) is False:
            content.discard()

    def process_exception(self, request, exception):
        content.discard()
