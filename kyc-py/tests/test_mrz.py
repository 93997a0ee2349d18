"""kyc.parse_mrz: the core's MRZ report (fields, check digits, evidence) and its error codes."""

import datetime

import pytest

import kyc

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_td3_fields_and_check_digits():
    report = kyc.parse_mrz(TD3, today="2026-06-01")
    assert report["format"] and report["valid"] is True
    fields = report["fields"]
    assert fields["surname"] == "ERIKSSON"
    assert fields["given_names"] == "ANNA MARIA"
    assert fields["document_number"] == "L898902C3"
    assert fields["birth_date"] == "1974-08-12"
    assert fields["issuing_state"] == "UTO"
    assert report["checks"], "check digit evidence"
    assert all(c["valid"] for c in report["checks"])
    assert {c["field"] for c in report["checks"]} >= {"document_number", "birth_date"}
    assert report["evidence"] and report["policy"] is not None


def test_list_of_lines_and_date_object_give_the_same_report():
    as_text = kyc.parse_mrz(TD3, today="2026-06-01")
    as_lines = kyc.parse_mrz(TD3.split("\n"), today=datetime.date(2026, 6, 1))
    assert as_text == as_lines


def test_a_wrong_check_digit_is_evidence_not_an_error():
    broken = TD3.replace("L898902C36", "L898902C37")
    report = kyc.parse_mrz(broken, today="2026-06-01")
    assert report["valid"] is False
    bad = [c for c in report["checks"] if not c["valid"]]
    assert bad and bad[0]["field"] == "document_number"


def test_ocr_mode_repairs_and_reports():
    ocr = TD3.replace("7408122", "74O8122")  # the letter O read for a zero in the birth date
    report = kyc.parse_mrz(ocr, today="2026-06-01", ocr=True)
    assert report["valid"] is True
    assert [(r["from"], r["to"], r["field"]) for r in report["repairs"]] == [("O", "0", "birth_date")]


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "mrz.empty"),
        ("P<UTO\n" * 5, "mrz.line_count"),
        ("X" * 100_000, "mrz.too_long"),
        ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F12041", "mrz.line_length"),
    ],
)
def test_unreadable_text_raises_input_errors_with_codes(text, code):
    with pytest.raises(kyc.InvalidInputError) as info:
        kyc.parse_mrz(text, today="2026-06-01")
    assert info.value.code == code
    assert isinstance(info.value, kyc.KycError)


def test_today_defaults_to_the_system_clock():
    assert kyc.parse_mrz(TD3)["fields"]["surname"] == "ERIKSSON"
