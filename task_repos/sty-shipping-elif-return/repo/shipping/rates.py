"""Parcel shipping prices by destination zone and weight."""

from decimal import Decimal

EU_COUNTRIES = frozenset({"AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT", "SE"})
HOME_COUNTRY = "DE"
FREE_SHIPPING_FROM = Decimal("50.00")


def zone_for(country: str) -> str:
    """Shipping zone of a destination country (ISO 3166 alpha-2 code)."""
    code = country.strip().upper()
    if code == HOME_COUNTRY:
        return "domestic"
    if code in EU_COUNTRIES:
        return "eu"
    return "world"


def parcel_price(weight_kg: Decimal, zone: str) -> Decimal:
    """Price of one parcel: a base fee per zone plus a per-kilogram surcharge above 2 kg."""
    if weight_kg <= 0:
        raise ValueError("weight must be positive")
    extra_kg = max(Decimal("0"), weight_kg - 2)
    if zone == "domestic":
        return Decimal("4.90") + extra_kg * Decimal("0.50")
    elif zone == "eu":
        return Decimal("9.90") + extra_kg * Decimal("1.20")
    elif zone == "world":
        return Decimal("19.90") + extra_kg * Decimal("3.00")
    raise ValueError(f"unknown zone: {zone!r}")


def shipping_cost(order_total: Decimal, weight_kg: Decimal, country: str) -> Decimal:
    """What the customer pays for shipping; domestic orders from 50 EUR ship free."""
    zone = zone_for(country)
    if zone == "domestic" and order_total >= FREE_SHIPPING_FROM:
        return Decimal("0.00")
    return parcel_price(weight_kg, zone).quantize(Decimal("0.01"))
