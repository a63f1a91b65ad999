/// Review (placeholder; see docs/ARCHITECTURE.md).
enum ReviewModulePlaceholder {}
