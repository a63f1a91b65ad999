/// Lore (placeholder; see docs/ARCHITECTURE.md).
enum LoreModulePlaceholder {}
