// libFuzzer entry point of the review target; the harness is ReviewFuzzHarness.review (Harness.swift).
import CFuzzDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { ReviewFuzzHarness.review([]); return 0 }
    ReviewFuzzHarness.review(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// SwiftPM links this executable with `main` aliased to `<module>_main`: hand over to libFuzzer.
@_cdecl("fuzz_review_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
