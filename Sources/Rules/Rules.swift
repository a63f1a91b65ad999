/// Rules analyses C code for locking and reference-counting bugs, on whole files and on the code a
/// patch shows.
///
/// A byte-level lexer (`CLexer`) feeds a tolerant structure parser (functions, statements, kernel
/// loop and guard macros), which builds a control-flow graph per function with goto edges. A path
/// walker enumerates paths (loops 0–2 times, a state cap with merging) and runs two trackers – held
/// locks and reference counts with simple aliasing – once per path; the rules (`lock-window`,
/// `lock-balance`, `refcount-balance`, one file each) read the facts the trackers establish. Lock
/// and get/put knowledge lives in data tables (`RuleTables`) that a YAML file can extend. In hunk
/// mode the old and new version of each shown function are analysed and findings are marked
/// introduced, fixed or present. Results are values (`Finding`); nothing is printed.
public enum RulesModule {
    public static let version = "1"
}
