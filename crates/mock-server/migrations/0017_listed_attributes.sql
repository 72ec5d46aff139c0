-- Attributes whose value each clientbook row shows as a tag (C1: "tier or tags").
ALTER TABLE attribute_definitions ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;
