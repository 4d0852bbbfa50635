"""Turn the fault suite's figures (NEWSROOM_FAULTS_REPORT=path, written by tests/faults/) into the
markdown table the README and bench/results/ carry.

    export NEWSROOM_FAULTS=1 NEWSROOM_FAULTS_REPORT=/tmp/faults.json
    .venv/bin/python -m pytest -m faults tests/faults
    .venv/bin/python bench/faults_report.py /tmp/faults.json > bench/results/$(date +%F)-faults.md
"""

import json
import sys

FAULTS = {
    "redis": "Redis stopped 8 s, restarted",
    "postgres-restart": "PostgreSQL restarted",
    "postgres-down": "PostgreSQL stopped 12 s",
    "smtp": "SMTP server stopped 6 s mid-send",
    "worker-kill": "worker SIGKILLed mid-send",
}


def statuses(counts):
    return ", ".join(f"{status}: {n}" for status, n in counts.items()) or "none"


def recovery(key, values):
    if key == "smtp":
        return f"first mail {values['seconds_to_first_mail_after_return']} s after the server's return"
    if key == "worker-kill":
        return (
            f"send finished {values['seconds_from_kill_to_send_finished']} s after the kill (lease 8 s); "
            f"{values['flagged_unknown']} rows flagged unknown"
        )
    return f"{values['seconds_to_recover']} s"


def table(figures):
    lines = [
        "| fault | queue | page views | comments | signups | 500s | seconds readers saw errors "
        "| recovery after the service's return |",
        "| --- | --- | --- | --- | --- | ---: | ---: | --- |",
    ]
    for backend, phases in figures.items():
        for key, label in FAULTS.items():
            if key not in phases:
                continue
            values, responses = phases[key], phases[key]["responses"]
            lines.append(
                f"| {label} | {backend} | {statuses(responses.get('page', {}))} "
                f"| {statuses(responses.get('comment', {}))} | {statuses(responses.get('signup', {}))} "
                f"| {values['server_errors_500']} | {values.get('seconds_of_errors', 0.0)} "
                f"| {recovery(key, values)} |"
            )
    for backend, phases in figures.items():
        totals = phases.get("totals")
        if not totals:
            continue
        comments, signups, update = totals["comments"], totals["signups"], totals["daily_update"]
        lines += [
            "",
            (
                f"Totals on {backend}: comments {comments['accepted']} thanked, {comments['lost']} lost, "
                f"{comments['duplicates']} duplicated, {comments['refused_with_503_or_no_answer']} "
                f"answered 503 ({comments['stored_though_refused']} of those stored); signups "
                f"{signups['accepted']} thanked, {signups['lost']} lost, {signups['duplicates']} "
                f"duplicated, {signups['confirmations_missing']} confirmations missing, "
                f"{signups['confirmations_sent_twice']} sent twice; daily update to "
                f"{update['subscribers']}: {update['mailed_once']} mailed once, {update['mailed_twice']} "
                f"twice, {update['flagged_unknown']} flagged unknown for an editor "
                f"({update['flagged_and_not_received']} of them had not reached the server); 500 answers: "
                f"{totals['responses_500']}; reader addresses in logs: {totals['addresses_in_logs']}."
            ),
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    with open(sys.argv[1]) as source:
        print(table(json.load(source)))
