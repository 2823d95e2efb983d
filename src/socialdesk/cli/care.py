"""Care workflow commands: `socialdesk bench routing`."""

from __future__ import annotations

import json

import typer


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @bench_app.command("routing")
    def bench_routing(
        agents: int = typer.Option(1000, help="Agents in total."),
        teams: int = typer.Option(20, help="Teams the agents are spread over."),
        open_cases: int = typer.Option(100_000, help="Open cases already assigned before the run."),
        decisions: int = typer.Option(50_000, help="Assignment decisions timed with the team roster."),
        baseline_decisions: int = typer.Option(
            300, help="Of those, how many the naive scan also makes (they must agree)."
        ),
        seed: int = typer.Option(7, help="Random seed for the generated workload."),
    ) -> None:
        """Assignment decisions per second and p99 latency: indexed roster against a naive scan."""
        from socialdesk.bench import routing as routing_bench

        if min(agents, teams, decisions, baseline_decisions) < 1 or teams > agents:
            raise typer.BadParameter("agents, teams and decisions must be positive, with teams <= agents")
        result = routing_bench.run(
            agents=agents,
            teams=teams,
            open_cases=open_cases,
            decisions=decisions,
            baseline_decisions=min(baseline_decisions, decisions),
            seed=seed,
        )
        typer.echo(json.dumps(result, indent=2))
