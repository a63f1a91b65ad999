/// The rule model: each rule is one file declaring its id, summary, rationale and C examples.

/// A C example of a rule. `↓` marks each line where the rule must report a finding (the finding's
/// anchor line); the marker is removed before analysis.
public struct RuleExample: Sendable {
    public var code: String
    public var file: String
    public var line: Int
    public init(_ code: String, file: String = #filePath, line: Int = #line) {
        self.code = code; self.file = file; self.line = line
    }
    /// The code without markers, and the 1-based lines that carried one.
    public var stripped: (code: String, markedLines: [Int]) {
        var out: [String] = []
        var marked: [Int] = []
        for (i, l) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if l.contains("↓") { marked.append(i + 1) }
            out.append(l.replacingOccurrences(of: "↓", with: ""))
        }
        return (out.joined(separator: "\n"), marked)
    }
}

/// What a rule is, for users (`lkml-review rules`) and for its own tests.
public struct RuleDescription: Sendable {
    public var id: String
    public var name: String
    public var summary: String
    public var rationale: String
    public var triggering: [RuleExample]
    public var nonTriggering: [RuleExample]
}

/// Where a rule's findings go: the function and file being analysed.
struct RuleContext {
    var function: String
    var file: String
    var side: Finding.Side
}

protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    /// Findings from one function's facts.
    func findings(_ facts: FunctionFacts, _ ctx: RuleContext) -> [Finding]
}

/// Every rule, in report order. A test checks each `*Rule.swift` file is listed here.
enum RuleCatalog {
    static let rules: [any Rule] = [LockWindowRule(), LockBalanceRule(), RefcountBalanceRule()]
    static var descriptions: [RuleDescription] { rules.map { type(of: $0).description } }
}
