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
    is KycException.ModelUnavailable -> e.code
    is KycException.Other -> e.code
    null -> null
}

fun kind(e: KycException): String = when (e) {
    is KycException.InvalidInput -> "invalid_input"
    is KycException.ModelUnavailable -> "model_unavailable"
    is KycException.Other -> "other"
}

/** The output of `call`, or `error <kind> <code>`: the form run.sh writes the parity cases in. */
fun outcome(call: () -> String): String =
    try { call() } catch (e: KycException) { "error ${kind(e)} ${code(e)}" }

class Events : EventListener {
    val seen = mutableListOf<String>()
    override fun onEvent(eventJson: String) { seen.add(eventJson) }
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
    val description = describeScenario(scenarioText)
    check("scenario steps", description.contains("\"id\":\"passport\"") && description.contains("\"id\":\"selfie\"")) { description }
    check("scenario without its secret", !description.contains("secret")) { description }
    val typeError = thrown<KycException> { describeScenario("{\"id\": 3}") }
    check("scenario error code", code(typeError) == "json.invalid_type") { "${code(typeError)}" }
    val path = (typeError as? KycException.InvalidInput)?.violations?.firstOrNull()?.path
    check("scenario error path", path == "$.id") { "$path" }
    val malformed = thrown<KycException> { describeScenario("{") }
    check("bad JSON -> KycException", code(malformed) == "json.malformed") { "${code(malformed)}" }

    val photo = File(root, "fixtures/documents/0004_passport_genuine_photo.jpg").readBytes()
    val precheck = precheckImage(photo, null)
    val precheckGolden = File(root, "fixtures/expected/precheck_0004_passport_genuine_photo.json").readText()
    check("pre-check equals the Rust golden", precheck == precheckGolden) { precheck }
    val huge = File(root, "fixtures/faces/astronaut.png").readBytes()
    for (i in 16 until 24) huge[i] = if (i % 4 == 1) 0x01 else 0x00  // a header claiming 65536 x 65536
    val hugeError = thrown<KycException> { precheckImage(huge, null) }
    check("huge dimensions -> KycException", code(hugeError)?.startsWith("image.") == true) { "${code(hugeError)}" }
    val empty = thrown<KycException> { precheckImage(byteArrayOf(), null) }
    check("empty image -> KycException", code(empty) == "image.empty") { "${code(empty)}" }

    val receiver = CallbackReceiver("fixture-only-secret-key-0123456789abcdef", false)
    val unsigned = thrown<KycException> { receiver.verify(listOf(), "{}".toByteArray(), 1795856400L) }
    check("callback without headers", code(unsigned) == "callback.missing_header") { "${code(unsigned)}" }

    // The façade's parity cases (fixtures/expected/parity.json, written by the Rust core).
    val parity = File(args.getOrElse(1) { "target/uniffi/parity" })
    fun expected(name: String) = File(parity, "$name.expected").readText()
    check("parity describe_scenario", outcome { describeScenario(scenarioText) } == expected("describe_scenario"))
    check("parity describe_scenario_error", outcome { describeScenario("{\"id\": 3}") } == expected("describe_scenario_error"))
    check("parity precheck_image", outcome { precheckImage(photo, "vertical") } == expected("precheck_image"))
    check("parity precheck_image_error", outcome { precheckImage("not an image".toByteArray(), null) } == expected("precheck_image_error"))
    check("parity parse_mrz", outcome { parseMrz(td3, "2010-06-01").reportJson } == expected("parse_mrz"))
    check("parity parse_mrz_error", outcome { parseMrz("P<UTO\nshort", "2010-06-01").reportJson } == expected("parse_mrz_error"))
    val cbReceiver = CallbackReceiver(File(parity, "callback.secret").readText(), false)
    val cbHeaders = File(parity, "callback.headers").readLines().map { val (n, v) = it.split("\t", limit = 2); Header(n, v) }
    val cbBody = File(parity, "callback.body").readBytes()
    val cbNow = File(parity, "callback.now").readText().toLong()
    check("parity callback", outcome { cbReceiver.verify(cbHeaders, cbBody, cbNow) } == expected("callback"))
    check("parity callback_replay", outcome { cbReceiver.verify(cbHeaders, cbBody, cbNow) } == expected("callback_replay"))

    val modelDir = System.getenv("KYC_MODEL_DIR")
    if (modelDir == null) {
        println("skip verification: KYC_MODEL_DIR is not set")
    } else {
        val verifier = Verifier(modelDir, true, FaceLists(), History(ByteArray(32) { 7 }))
        val corrupt = thrown<KycException> {
            verifier.verify(scenarioText, listOf(byteArrayOf(0xFF.toByte(), 0xD8.toByte(), 0xFF.toByte(), 1, 2, 3)), null, 1795856400L, null)
        }
        check("corrupt image -> KycException", code(corrupt)?.startsWith("image.") == true) { "${code(corrupt)}" }
        val notImage = thrown<KycException> {
            verifier.verify(scenarioText, listOf("hello".toByteArray()), null, 1795856400L, null)
        }
        check("text as image -> KycException", code(notImage) == "image.unsupported_format") { "${code(notImage)}" }
        val document = File(root, "fixtures/documents/0002_passport_genuine_photo.jpg").readBytes()
        val selfie = File(root, "fixtures/faces/holder_selfie.png").readBytes()
        val result = verifier.verifyWithTestSeed(scenarioText, listOf(document), selfie, 1795856400L, 42uL, null)
        val golden = File(root, "fixtures/expected/verify_passport_selfie.json").readText()
        check("result agrees with the Rust golden", agree(result, golden)) { "\n$result" }

        // A face list and a history attached: a blacklisted face blocks its session, and the
        // listener hears every event.
        val lists = FaceLists()
        val history = History(ByteArray(32) { it.toByte() })
        val guarded = Verifier(modelDir, true, lists, history)
        lists.add("blacklist", "fraudster-1", guarded.faceTemplate(selfie)!!)
        val events = Events()
        val blocked = guarded.verifyWithTestSeed(scenarioText, listOf(document), selfie, 1795856400L, 5uL, events)
        check("blacklisted face blocks", blocked.contains("\"reason_code\": \"decision.blacklist_hit\"")) { blocked }
        check("listener heard the block", events.seen.lastOrNull()?.contains("\"to\":\"blocked\"") == true) { "${events.seen.lastOrNull()}" }
        check("a blocked session is no history", history.count() == 0uL) { "${history.count()}" }
    }

    println("kotlin: $passes passed, $failures failed")
    if (failures > 0) kotlin.system.exitProcess(1)
}
