# The fields of a caseload row the benchmarks ask for: every field a coach's start page shows,
# signals included. Sourced by scripts/bench-api and scripts/bench-api-instructies, so both
# measure the same query.
# shellcheck shell=bash
# shellcheck disable=SC2034
velden="trajectId clientId coach methode fase aanmelding laatsteGebeurtenis dagenWerk duurzaamBereiktOp aandacht { soort dagen sinds } cursor"
