// review's --brief, --only, --reviewer and --since (issue 16): a shorter report, and a report cut
// down to some patches, one reviewer or recent mail (`ReportFilter`, in every format).
import ArgumentParser
import Foundation
import Report

struct ReportFilterOptions: ParsableArguments {
    @Flag(help: ArgumentHelp("A short report for the markdown and text formats: per series its status, then per patch its trailers, the rule findings it introduces or keeps and the remarks nobody answered, a line each. Not for json, sarif or reply, which are already what a program or a mail needs."))
    var brief = false

    @Option(name: .customLong("only"), parsing: .singleValue,
            help: ArgumentHelp("Only these patches: numbers k of [PATCH k/n] (0 the cover letter, 1 a lone patch), as 2, 1,3 or 2-4; repeatable. In every format.", valueName: "N"))
    var only: [String] = []

    @Option(help: ArgumentHelp("Only what this person said: remarks, trailers, questions and timeline replies whose sender (or, for a trailer, the person named) has NAME in their name or address, case-insensitive. The rule findings stay. In every format (the reply mails hold only findings).", valueName: "NAME"))
    var reviewer: String?

    @Option(help: ArgumentHelp("Only what was said at or after DATE (YYYY-MM-DD, midnight UTC, or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]): remarks, trailers, questions and timeline replies by their mail's date; undated ones are left out. The rule findings stay.", valueName: "DATE"))
    var since: String?

    func validate() throws {
        _ = try makeFilter()
    }

    /// The filter the options ask for; the errors `validate` reports.
    func makeFilter() throws(ValidationError) -> ReportFilter {
        var patches: Set<Int>?
        if !only.isEmpty {
            switch ReportFilter.patchNumbers(only) {
            case .success(let n): patches = n
            case .failure(let e): throw ValidationError(e.description)
            }
        }
        var date: Date?
        if let since {
            guard let d = ReportFilter.date(since) else {
                throw ValidationError("--since: \"\(since)\" is not a date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])")
            }
            date = d
        }
        if let reviewer, reviewer.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reviewer needs a name or an address.") }
        return ReportFilter(patches: patches, reviewer: reviewer, since: date)
    }

    /// The filter the options ask for (validated by ArgumentParser before the command runs).
    var filter: ReportFilter { (try? makeFilter()) ?? ReportFilter() }

    /// --brief with a format it has no form for: an input error naming the format.
    func check(format: String) throws {
        guard brief, format != "markdown", format != "text" else { return }
        throw ReviewInputError("--brief is for the markdown and text formats, not \(format)")
    }
}
