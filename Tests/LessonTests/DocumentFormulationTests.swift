import LessonKit
import SimCLR
import TestSupport
import XCTest

final class DocumentFormulationTests: XCTestCase {
    private func fixtureBatch(_ f: Fixture) throws -> Tensor {
        let z1 = try f.tensor("z1"), z2 = try f.tensor("z2")
        return Tensor(shape: [z1.shape[0] * 2, z1.shape[1]], data: z1.data + z2.data)
    }

    /// The card's exp/sum with a -9e15 mask and the write-up's cross entropy with a -inf
    /// mask are the same function as ours.
    func testBothDocumentFormulationsAgree() throws {
        for name in ["ntxent_tau0.5", "ntxent_tau0.1"] {
            let f = try Fixture(name)
            let loss = Double(try f.tensor("loss").data[0])
            let loss32 = NTXent(temperature: Float(f.meta("tau") as! Double))
            let z = try fixtureBatch(f)
            let card = loss32.cardFormulation(z), writeUp = loss32.writeUpFormulation(z)
            print("\(name): card \(card), write-up \(writeUp), PyTorch \(loss)")
            XCTAssertEqual(card, loss, accuracy: 1e-5)
            XCTAssertEqual(writeUp, loss, accuracy: 1e-5)
        }
    }
}
