// Compiled against the generated uniffi bindings and run on the JVM by run.sh: real outcomes, the
// core's codes, and the cross-binding golden result when the models are installed.
import java.io.File
import uniffi.kyc.*
import uniffi.kyc_core.Sex

var failures = 0
var passes = 0

fun check(name: String, ok: Boolean, detail: () -> String = { "" }) {
    if (ok) {
        passes++
        println("ok   $name")
    } else {
        failures++
        println("FAIL $name ${detail()}")
    }
}

/** Two JSON texts alike but for their numbers, which agree within a relative 1e-5: ONNX Runtime
 * picks its kernels by CPU, so model scores differ in their last digits between machines. */
fun agree(a: String, b: String): Boolean {
    val number = Regex("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")
    if (number.replace(a, "#") != number.replace(b, "#")) return false
    val xs = number.findAll(a).map { it.value.toDouble() }.toList()
    val ys = number.findAll(b).map { it.value.toDouble() }.toList()
    return xs.size == ys.size && xs.zip(ys).all { (x, y) ->
        Math.abs(x - y) <= 1e-5 * maxOf(1.0, Math.abs(x), Math.abs(y))
    }
}

inline fun <reified E : Throwable> thrown(block: () -> Unit): E? =
    try { block(); null } catch (e: Throwable) { e as? E ?: throw e }

fun code(e: KycException?): String? = when (e) {
    is KycException.InvalidInput -> e.code
    is KycException.Other -> e.code
    null -> null
}

fun main(args: Array<String>) {
    val root = File(args.getOrElse(0) { "." })
    val td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"

    val mrz = parseMrz(td3, "2010-06-01")
    check("mrz format", mrz.format == "TD3") { mrz.format }
    check("mrz valid", mrz.valid)
    check("mrz surname", mrz.fields.surname == "ERIKSSON") { mrz.fields.surname }
    check("mrz given names", mrz.fields.givenNames == "ANNA MARIA") { mrz.fields.givenNames }
    check("mrz document number", mrz.fields.documentNumber == "L898902C3") { mrz.fields.documentNumber }
    check("mrz birth date", mrz.fields.birthDate == "1974-08-12") { "${mrz.fields.birthDate}" }
    check("mrz sex", mrz.fields.sex == Sex.FEMALE) { "${mrz.fields.sex}" }
    check("mrz report json", mrz.reportJson.contains("\"schema_version\":1"))

    val broken = thrown<KycException> { parseMrz("P<UTO\n123", "2010-06-01") }
    check("mrz garbage -> KycException", code(broken) == "mrz.line_length") { "${code(broken)}" }
    val badDate = thrown<KycException> { parseMrz(td3, "not a date") }
    check("bad date -> KycException", code(badDate) == "input.bad_date") { "${code(badDate)}" }

    val scenarioText = File(root, "fixtures/scenarios/passport_selfie.json").readText()
    val summary = validateScenario(scenarioText)
    check("scenario steps", summary.stepIds == listOf("passport", "selfie")) { "${summary.stepIds}" }
    val typeError = thrown<KycException> { validateScenario("{\"id\": 3}") }
    check("scenario error code", code(typeError) == "json.invalid_type") { "${code(typeError)}" }
    val path = (typeError as? KycException.InvalidInput)?.violations?.firstOrNull()?.path
    check("scenario error path", path == "$.id") { "$path" }
    val malformed = thrown<KycException> { validateScenario("{") }
    check("bad JSON -> KycException", code(malformed) == "json.malformed") { "${code(malformed)}" }

    val photo = File(root, "fixtures/documents/0004_passport_genuine_photo.jpg").readBytes()
    val precheck = precheckImage(photo)
    val precheckGolden = File(root, "fixtures/expected/precheck_0004_passport_genuine_photo.json").readText()
    check("pre-check equals the Rust golden", precheck == precheckGolden) { precheck }
    val huge = File(root, "fixtures/faces/astronaut.png").readBytes()
    for (i in 16 until 24) huge[i] = if (i % 4 == 1) 0x01 else 0x00  // a header claiming 65536 x 65536
    val hugeError = thrown<KycException> { precheckImage(huge) }
    check("huge dimensions -> KycException", code(hugeError)?.startsWith("image.") == true) { "${code(hugeError)}" }
    val empty = thrown<KycException> { precheckImage(byteArrayOf()) }
    check("empty image -> KycException", code(empty) == "image.empty") { "${code(empty)}" }

    val receiver = CallbackReceiver("fixture-only-secret-key-0123456789abcdef")
    val unsigned = thrown<KycException> { receiver.verify(listOf(), "{}".toByteArray(), 1795856400L) }
    check("callback without headers", code(unsigned) == "callback.missing_header") { "${code(unsigned)}" }

    val modelDir = System.getenv("KYC_MODEL_DIR")
    if (modelDir == null) {
        println("skip verification: KYC_MODEL_DIR is not set")
    } else {
        val verifier = Verifier(modelDir)
        val corrupt = thrown<KycException> {
            verifier.verify(scenarioText, listOf(byteArrayOf(0xFF.toByte(), 0xD8.toByte(), 0xFF.toByte(), 1, 2, 3)), null, 1795856400L, 42uL)
        }
        check("corrupt image -> KycException", code(corrupt)?.startsWith("image.") == true) { "${code(corrupt)}" }
        val notImage = thrown<KycException> {
            verifier.verify(scenarioText, listOf("hello".toByteArray()), null, 1795856400L, 42uL)
        }
        check("text as image -> KycException", code(notImage) == "image.unsupported_format") { "${code(notImage)}" }
        val document = File(root, "fixtures/documents/0002_passport_genuine_photo.jpg").readBytes()
        val selfie = File(root, "fixtures/faces/astronaut.png").readBytes()
        val result = verifier.verify(scenarioText, listOf(document), selfie, 1795856400L, 42uL)
        val golden = File(root, "fixtures/expected/verify_passport_selfie.json").readText()
        check("result agrees with the Rust golden", agree(result, golden)) { "\n$result" }
    }

    println("kotlin: $passes passed, $failures failed")
    if (failures > 0) kotlin.system.exitProcess(1)
}
