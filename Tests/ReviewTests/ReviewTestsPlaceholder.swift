import Testing

@Test func ReviewTestsBuilds() {
    #expect(Bool(true))
}
