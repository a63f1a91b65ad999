/// Report (placeholder; see docs/ARCHITECTURE.md).
enum ReportModulePlaceholder {}
