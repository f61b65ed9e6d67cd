"""Device profiles: the configured measurement limits of a sensor model."""

DEFAULT_LIMITS: dict[str, tuple[float, float]] = {
    "temperature": (-20.0, 60.0),
    "humidity": (0.0, 100.0),
}


def parse_limits(spec: str) -> dict[str, tuple[float, float]]:
    """Parse ``"temperature=-20..60, humidity=0..100"`` into a limits mapping."""
    limits: dict[str, tuple[float, float]] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, _, bounds = item.partition("=")
        low, sep, high = bounds.partition("..")
        if not name or not sep:
            raise ValueError(f"invalid limit: {item!r}")
        limits[name.strip()] = (float(low), float(high))
    return limits
