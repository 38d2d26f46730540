"""Facts for the home page's quick-start example."""

from docs_build.registry import facts


@facts("quickstart")
def quickstart_facts() -> dict[str, str]:
    import quickstart

    model, accuracy = quickstart.train_xor()
    return {
        "accuracy": f"{accuracy:.0%}",
        "parameters": str(sum(p.numel() for p in model.parameters())),
    }
