from __future__ import annotations

import stat
from pathlib import Path

import pytest
import tzlocal

from pos_app import config
from pos_app.config import ConfigError, jwt_secret, load_settings


def settings_from(tmp_path: Path, **values: str) -> dict[str, str]:
    return {
        "POS_DATA_DIR": str(tmp_path / "data"),
        "POS_TIMEZONE": "Europe/Berlin",
        "POS_SETTINGS_FILE": str(tmp_path / "till.toml"),
        **values,
    }


def test_defaults_put_an_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings(settings_from(tmp_path), dotenv_path=tmp_path / "missing.env")
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'till.sqlite3'}"
    assert settings.is_sqlite
    assert settings.currency == "EUR"
    assert settings.timezone.key == "Europe/Berlin"


def test_discount_limits_default_to_ten_and_fifty_percent_and_can_be_set(
    tmp_path: Path,
) -> None:
    defaults = load_settings(settings_from(tmp_path), dotenv_path=tmp_path / "missing.env")
    assert (defaults.cashier_discount_limit_bp, defaults.manager_discount_limit_bp) == (1000, 5000)
    chosen = load_settings(
        settings_from(
            tmp_path, POS_CASHIER_DISCOUNT_LIMIT_BP="500", POS_MANAGER_DISCOUNT_LIMIT_BP="10000"
        ),
        dotenv_path=tmp_path / "missing.env",
    )
    assert (chosen.cashier_discount_limit_bp, chosen.manager_discount_limit_bp) == (500, 10_000)


def test_an_unknown_time_zone_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="POS_TIMEZONE"):
        load_settings(settings_from(tmp_path, POS_TIMEZONE="Mars/Olympus_Mons"))


@pytest.mark.parametrize(
    "url",
    ["not a url", "postgresql://u@h/db", "mysql+pymysql://root@localhost", "sqlite::memory"],
)
def test_a_bad_database_url_names_the_setting(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match="POS_DATABASE_URL"):
        load_settings(settings_from(tmp_path, POS_DATABASE_URL=url))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("POS_IDLE_LOCK_MINUTES", "ten"),
        ("POS_IDLE_LOCK_MINUTES", "-1"),
        ("POS_LOW_STOCK_THRESHOLD", "2.5"),
        ("POS_CURRENCY", "EURO"),
        ("POS_CASHIER_DISCOUNT_LIMIT_BP", "10001"),
        ("POS_MANAGER_DISCOUNT_LIMIT_BP", "half"),
    ],
)
def test_bad_numbers_and_codes_name_the_setting(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings(settings_from(tmp_path, **{name: value}))


def test_values_from_a_dotenv_file_are_honoured(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("POS_SHOP_NAME=Corner Deli\nPOS_LOW_STOCK_THRESHOLD=3\n", encoding="utf-8")
    settings = load_settings(settings_from(tmp_path), dotenv_path=dotenv)
    assert settings.shop_name == "Corner Deli"
    assert settings.low_stock_threshold == 3


def test_the_environment_wins_over_the_dotenv_file(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("POS_TILL_ID=from-file\nPOS_CURRENCY=GBP\n", encoding="utf-8")
    settings = load_settings(settings_from(tmp_path, POS_TILL_ID="from-env"), dotenv_path=dotenv)
    assert settings.till_id == "from-env"
    assert settings.currency == "GBP"


def test_pos_dotenv_points_at_another_file(tmp_path: Path) -> None:
    dotenv = tmp_path / "shop.env"
    dotenv.write_text("POS_SHOP_ADDRESS=2 Harbour Road\n", encoding="utf-8")
    settings = load_settings(settings_from(tmp_path, POS_DOTENV=str(dotenv)))
    assert settings.shop_address == "2 Harbour Road"


def test_the_jwt_secret_is_created_private_and_then_reused(tmp_path: Path) -> None:
    settings = load_settings(settings_from(tmp_path), dotenv_path=tmp_path / "missing.env")
    first = jwt_secret(settings)
    path = settings.data_dir / "jwt_secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert jwt_secret(settings) == first


def test_the_settings_file_is_read_when_nothing_else_sets_a_value(tmp_path: Path) -> None:
    (tmp_path / "till.toml").write_text(
        'shop_name = "Harbour Kiosk"\nidle_lock_minutes = 3\ntill_id = "front"\n',
        encoding="utf-8",
    )
    settings = load_settings(settings_from(tmp_path), dotenv_path=tmp_path / "missing.env")
    assert settings.shop_name == "Harbour Kiosk"
    assert settings.idle_lock_minutes == 3
    assert settings.till_id == "front"


def test_environment_beats_dotenv_beats_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "till.toml").write_text(
        'till_id = "toml"\ncurrency = "CHF"\nshop_name = "From TOML"\n', encoding="utf-8"
    )
    dotenv = tmp_path / ".env"
    dotenv.write_text("POS_TILL_ID=dotenv\nPOS_CURRENCY=GBP\n", encoding="utf-8")
    settings = load_settings(settings_from(tmp_path, POS_TILL_ID="env"), dotenv_path=dotenv)
    assert settings.till_id == "env"
    assert settings.currency == "GBP"
    assert settings.shop_name == "From TOML"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('shop_nmae = "typo"\n', "'shop_nmae' is not a setting"),
        ('shop_name = "unclosed\n', "not valid TOML"),
        ("idle_lock_minutes = true\n", "'idle_lock_minutes' must be"),
    ],
)
def test_a_bad_settings_file_is_named(tmp_path: Path, text: str, named: str) -> None:
    (tmp_path / "till.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=named) as error:
        load_settings(settings_from(tmp_path), dotenv_path=tmp_path / "missing.env")
    assert "till.toml" in str(error.value)


def test_a_bad_value_in_the_settings_file_names_the_setting(tmp_path: Path) -> None:
    (tmp_path / "till.toml").write_text('currency = "EURO"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="POS_CURRENCY"):
        load_settings(settings_from(tmp_path), dotenv_path=tmp_path / "missing.env")


def test_the_settings_file_lives_in_the_users_config_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(config.platformdirs, "user_config_dir", lambda *a, **k: str(tmp_path))
    assert config.default_settings_file() == tmp_path / "till.toml"


def test_the_default_data_dir_is_the_platforms_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "AppData" / "Local" / "till"
    monkeypatch.setattr(config.platformdirs, "user_data_dir", lambda *a, **k: str(folder))
    values = settings_from(tmp_path)
    del values["POS_DATA_DIR"]
    settings = load_settings(values, dotenv_path=tmp_path / "missing.env")
    assert settings.data_dir == folder
    assert settings.database_url == f"sqlite:///{folder / 'till.sqlite3'}"


def test_the_shop_zone_defaults_to_the_machines_zone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: "Asia/Tokyo")
    values = settings_from(tmp_path)
    del values["POS_TIMEZONE"]
    assert load_settings(values, dotenv_path=tmp_path / "missing.env").timezone.key == "Asia/Tokyo"


def test_a_machine_zone_that_cannot_be_told_falls_back_to_utc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unknown() -> str:
        raise LookupError("no zone configured")

    monkeypatch.setattr(tzlocal, "get_localzone_name", unknown)
    assert config.machine_timezone_name({}) == "UTC"
    assert config.machine_timezone_name({"TZ": ":Europe/Lisbon"}) == "Europe/Lisbon"


def test_pos_fullscreen_starts_a_kiosk_till_and_a_bad_value_names_the_setting(
    tmp_path: Path,
) -> None:
    assert not load_settings(settings_from(tmp_path)).fullscreen
    assert load_settings(settings_from(tmp_path, POS_FULLSCREEN="1")).fullscreen
    with pytest.raises(ConfigError, match="POS_FULLSCREEN"):
        load_settings(settings_from(tmp_path, POS_FULLSCREEN="sometimes"))
    (tmp_path / "till.toml").write_text("fullscreen = 1\n", encoding="utf-8")
    kiosk = load_settings(settings_from(tmp_path), dotenv_path=tmp_path / "missing.env")
    assert kiosk.fullscreen


def test_pos_font_size_sets_the_font_and_a_size_out_of_range_names_the_setting(
    tmp_path: Path,
) -> None:
    assert load_settings(settings_from(tmp_path)).font_size == 11
    assert load_settings(settings_from(tmp_path, POS_FONT_SIZE="12")).font_size == 12
    for bad in ("30", "big"):
        with pytest.raises(ConfigError, match="POS_FONT_SIZE"):
            load_settings(settings_from(tmp_path, POS_FONT_SIZE=bad))


def test_the_scale_label_layout_is_a_preset_or_rules(tmp_path: Path) -> None:
    default = load_settings(settings_from(tmp_path))
    assert default.scale_label_layout.prefixes == {"21", "22", "28", "29"}
    custom = load_settings(settings_from(tmp_path, POS_SCALE_LABEL_LAYOUT="20-24=PP CCCCC WWWWW K"))
    assert custom.scale_label_layout.prefixes == {"20", "21", "22", "23", "24"}


def test_a_wrong_scale_label_layout_names_the_setting_and_the_mistake(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"POS_SCALE_LABEL_LAYOUT: .* has 14 digits"):
        load_settings(settings_from(tmp_path, POS_SCALE_LABEL_LAYOUT="21=PP CCCCC V PPPPP K"))


@pytest.mark.parametrize(
    ("machine", "expected"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de_DE"),
        ({"LANG": "de_DE.UTF-8", "LC_ALL": "fr_CH.UTF-8"}, "fr_CH"),
        ({"LANG": "C.UTF-8"}, "en_US"),
        ({"LANG": "xx_YY"}, "en_US"),
        ({}, "en_US"),
    ],
)
def test_the_locale_defaults_to_the_machine_s_or_en_us(
    tmp_path: Path, machine: dict[str, str], expected: str
) -> None:
    settings = load_settings(settings_from(tmp_path, **machine), tmp_path / "missing.env")
    assert settings.locale == expected


def test_pos_locale_wins_and_sets_how_the_shop_writes_money(tmp_path: Path) -> None:
    env = settings_from(tmp_path, POS_LOCALE="de-DE", LANG="en_GB.UTF-8", POS_CURRENCY="JPY")
    settings = load_settings(env, tmp_path / "missing.env")
    assert settings.locale == "de_DE"
    assert settings.shop_format.money(1250) == "1.250\xa0¥"


def test_the_locale_can_be_set_in_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "till.toml").write_text('locale = "fr_FR"\n', encoding="utf-8")
    settings = load_settings(settings_from(tmp_path), tmp_path / "missing.env")
    assert settings.locale == "fr_FR"


def test_an_unknown_locale_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="POS_LOCALE: 'klingon' is not a known locale"):
        load_settings(settings_from(tmp_path, POS_LOCALE="klingon"), tmp_path / "missing.env")
