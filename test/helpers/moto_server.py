"""moto_server for the packaged-stack test (test/e2e/moto-stack.test.ts), with one addition.

moto 5.2 emulates Security Hub's BatchImportFindings and GetFindings but not BatchUpdateFindings, the
call Hivewire's worker makes to set a finding's workflow to NOTIFIED. Until moto has it, this adds it
to moto's own Security Hub backend as the API reference describes it: the findings named by
FindingIdentifiers (Id and ProductArn) get Workflow.Status and the Note; a finding that was never
imported is answered in UnprocessedFindings. A moto that has the call keeps its own.

Usage: python3 moto_server.py -H 127.0.0.1 -p PORT (moto_server's own arguments).
"""

import datetime
import json
import sys

try:
    from moto import server
    from moto.securityhub import urls
    from moto.securityhub.exceptions import InvalidInputException
    from moto.securityhub.responses import SecurityHubResponse
except ImportError as error:
    sys.stderr.write(f"moto is not installed ({error}): pip install 'moto[server]'\n")
    sys.exit(3)

WORKFLOW_STATUSES = {"NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"}


def batch_update_findings(self):
    params = json.loads(self.body or "{}")
    identifiers = params.get("FindingIdentifiers") or []
    status = (params.get("Workflow") or {}).get("Status")
    note = params.get("Note")
    if not identifiers:
        raise InvalidInputException(op="BatchUpdateFindings", msg="FindingIdentifiers is required")
    if status is not None and status not in WORKFLOW_STATUSES:
        raise InvalidInputException(op="BatchUpdateFindings", msg=f"Invalid Workflow.Status {status}")
    if note is not None and not (note.get("Text") and note.get("UpdatedBy")):
        raise InvalidInputException(op="BatchUpdateFindings", msg="Note needs Text and UpdatedBy")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    processed, unprocessed = [], []
    for identifier in identifiers:
        finding = next(
            (
                f
                for f in self.securityhub_backend.findings
                if f.id == identifier.get("Id") and f.data.get("ProductArn") == identifier.get("ProductArn")
            ),
            None,
        )
        if finding is None:
            unprocessed.append(
                {"FindingIdentifier": identifier, "ErrorCode": "FindingNotFound", "ErrorMessage": "Finding Not Found"}
            )
            continue
        if status is not None:
            finding.data["Workflow"] = {"Status": status}
            finding.data["WorkflowState"] = status
        if note is not None:
            finding.data["Note"] = {"Text": note["Text"], "UpdatedBy": note["UpdatedBy"], "UpdatedAt": now}
        finding.data["UpdatedAt"] = now
        processed.append(identifier)
    return json.dumps({"ProcessedFindings": processed, "UnprocessedFindings": unprocessed})


if not hasattr(SecurityHubResponse, "batch_update_findings"):
    SecurityHubResponse.batch_update_findings = batch_update_findings
    urls.url_paths.setdefault("{0}/findings/batchupdate$", SecurityHubResponse.dispatch)

server.main(sys.argv[1:])
