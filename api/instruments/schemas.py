"""Schemas of published instruments."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DimensionRead(BaseModel):
    id: str = Field(examples=["strategy"])
    title: dict[str, str] = Field(examples=[{"en": "Strategy", "fr": "Stratégie"}])
    children: list[str] = Field(description="Ids of its sub-dimensions.")


class InstrumentRead(BaseModel):
    id: str = Field(examples=["competency-self-test"])
    title: dict[str, str] = Field(description="By language.")
    version: int = Field(description="The newest published version.", examples=[1])
    versions: list[int] = Field(description="Every published version.", examples=[[1]])
    items: int = Field(description="Number of items.", examples=[51])
    levels: list[str] = Field(examples=[["foundation", "developing", "proficient", "expert"]])
    dimensions: list[DimensionRead] = Field(description="Top-level dimensions.")
    label_rules: bool = Field(description="Whether results have a label outcome.")


class InstrumentList(BaseModel):
    items: list[InstrumentRead]
