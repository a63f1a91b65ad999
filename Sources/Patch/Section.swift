// The symbol named by a hunk header's section text (git's "function context" line).

extension Hunk {
    /// The function whose definition the section text starts, best effort; nil when the section
    /// is not a function's first line.
    ///
    /// - `static int vfio_ap_mdev_set_kvm(struct ap_matrix_mdev *matrix_mdev,` → `vfio_ap_mdev_set_kvm`
    /// - `SYSCALL_DEFINE3(read, unsigned int, fd, …)` → `sys_read` (`COMPAT_…` → `compat_sys_read`)
    /// - `static const struct attribute_group *vfio_ap_mdev_attr_groups[] = {` → nil: a variable is
    ///   not a function (see `sectionSymbol`, which gives `vfio_ap_mdev_attr_groups`).
    /// - nil as well for declarations ending in `;` (prototypes, `DEFINE_MUTEX(x);`), for
    ///   preprocessor lines (`#define FOO(x)`), for labels (`out:`) and for an empty section.
    /// The name is the first identifier directly followed by `(` that is not a C keyword or type
    /// (so `int (*fp)(void)` gives nil, `__attribute__((x)) f(void)` gives `f`).
    public var sectionFunctionName: String? { SectionText.functionName(section) }

    /// The symbol the section text declares: the function name when there is one, else the
    /// declared name of a variable, struct, union or enum (`foo_fops` in
    /// `static const struct file_operations foo_fops = {`, `foo` in `struct foo {`), or the macro
    /// of a `#define`. Nil for labels and anything unrecognised.
    public var sectionSymbol: String? { SectionText.symbol(section) }
}

enum SectionText {
    private static let notFunctions: Set<String> = [
        "if", "for", "while", "switch", "return", "sizeof", "typeof", "__typeof__", "__typeof",
        "_Alignof", "alignof", "__alignof__", "__attribute__", "__attribute", "defined", "do", "else",
        "case", "goto", "asm", "__asm__", "volatile", "__volatile__", "_Static_assert", "static_assert",
        "int", "char", "short", "long", "void", "float", "double", "signed", "unsigned", "bool", "_Bool",
        "const", "static", "inline", "extern", "struct", "union", "enum", "register", "restrict",
        "likely", "unlikely", "offsetof", "__must_check", "__init", "__exit", "noinline", "__always_inline",
    ]

    private static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_")
    }
    private static func isIdent(_ c: UInt8) -> Bool { isIdentStart(c) || c.isDigit }

    private enum Token: Equatable { case ident(String), punct(UInt8) }

    /// C-ish tokens of a (short) section line; strings and char literals are skipped.
    private static func tokens(_ s: String) -> [Token] {
        let b = Array(s.utf8)
        var out: [Token] = []
        var i = 0
        while i < b.count && out.count < 200 {
            let c = b[i]
            if isIdentStart(c) {
                var e = i + 1
                while e < b.count && isIdent(b[e]) { e += 1 }
                out.append(.ident(String(decoding: b[i..<e], as: UTF8.self)))
                i = e
            } else if c.isDigit {
                while i < b.count && isIdent(b[i]) { i += 1 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                var e = i + 1
                while e < b.count && b[e] != c { e += b[e] == UInt8(ascii: "\\") ? 2 : 1 }
                i = e + 1
            } else if c.isSpaceOrTab {
                i += 1
            } else {
                out.append(.punct(c)); i += 1
            }
        }
        return out
    }

    /// `SYSCALL_DEFINE0`…`SYSCALL_DEFINE6`, `COMPAT_SYSCALL_DEFINE…`.
    private static func isSyscallMacro(_ name: String) -> Bool {
        guard let last = name.last, last.isASCII, last.isNumber else { return false }
        return name.dropLast().hasSuffix("SYSCALL_DEFINE")
    }

    static func functionName(_ section: String) -> String? {
        let s = PathSyntax.trim(section)
        guard !s.isEmpty, !s.hasPrefix("#"), !s.hasSuffix(";") else { return nil }
        let t = tokens(s)
        var k = 0
        while k + 1 < t.count {
            if case .ident(let name) = t[k], t[k + 1] == .punct(UInt8(ascii: "(")), !notFunctions.contains(name) {
                if isSyscallMacro(name) {
                    if k + 2 < t.count, case .ident(let sys) = t[k + 2] {
                        return (name.hasPrefix("COMPAT_") ? "compat_sys_" : "sys_") + sys
                    }
                }
                return name
            }
            k += 1
        }
        return nil
    }

    static func symbol(_ section: String) -> String? {
        if let f = functionName(section) { return f }
        let s = PathSyntax.trim(section)
        let t = tokens(s)
        if s.hasPrefix("#") {
            // `#define NAME…`
            if t.count >= 3, t[0] == .punct(UInt8(ascii: "#")), t[1] == .ident("define"), case .ident(let m) = t[2] { return m }
            return nil
        }
        // The last identifier before the first `=`, `[`, `{` or `;` of a declaration.
        var last: String? = nil
        for tok in t {
            switch tok {
            case .ident(let name): last = name
            case .punct(let c):
                if c == UInt8(ascii: "=") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") || c == UInt8(ascii: ";") {
                    if let last, !notFunctions.contains(last) { return last }
                    return nil
                }
                if c == UInt8(ascii: ":") { return nil } // a label or bitfield
            }
        }
        return nil
    }
}
