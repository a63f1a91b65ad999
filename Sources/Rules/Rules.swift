/// Rules (placeholder; see docs/ARCHITECTURE.md).
enum RulesModulePlaceholder {}
