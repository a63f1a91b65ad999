import Testing

@Test func PatchTestsBuilds() {
    #expect(Bool(true))
}
