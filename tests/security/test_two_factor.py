"""Finding 9: two-factor log-in, required of administrators to reach the admin."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
ADMIN = reverse("admin:index")
VERIFY = reverse("two-factor")
SETUP = reverse("two-factor-setup")


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in_with_password(client, username):
    response = client.post(reverse("login"), {"username": username, "password": "x-Pass-1234"})
    assert response.status_code == 302
    return client


@pytest.fixture
def enrolled(make_user):
    """An administrator with a confirmed authenticator and recovery codes."""
    user = make_user("Administrator", username="ada")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    from core.two_factor import new_recovery_codes

    return user, device, new_recovery_codes(user)


def test_an_administrator_without_an_authenticator_is_sent_to_enrol_before_the_admin(
    client, make_user
):
    make_user("Administrator", username="ada")
    log_in_with_password(client, "ada")
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_a_superuser_without_an_authenticator_is_sent_to_enrol_too(client, superuser):
    client.force_login(superuser)
    assert client.get(ADMIN)["Location"].startswith(SETUP)


def test_enrolling_turns_on_the_second_factor_and_shows_recovery_codes_once(client, make_user):
    make_user("Administrator", username="ada")
    log_in_with_password(client, "ada")
    page = client.get(SETUP)
    assert page.context["qr"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user__username="ada", confirmed=False)
    response = client.post(SETUP, {"code": current_code(device), "next": ADMIN})
    assert len(response.context["codes"]) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(ADMIN).status_code == 200


def test_a_wrong_code_does_not_enrol(client, make_user):
    make_user("Administrator", username="ada")
    log_in_with_password(client, "ada")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(ADMIN).status_code == 302


def test_the_password_alone_does_not_open_any_page_once_enrolled(client, enrolled):
    log_in_with_password(client, "ada")
    for url in (ADMIN, reverse("home"), reverse("partners:organisation-list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url


def test_the_authenticator_code_opens_the_admin(client, enrolled):
    _user, device, _codes = enrolled
    log_in_with_password(client, "ada")
    response = client.post(VERIFY, {"code": current_code(device), "next": ADMIN})
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_recovery_code_works_once(client, enrolled):
    _user, _device, codes = enrolled
    log_in_with_password(client, "ada")
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get(ADMIN).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.logout()
    log_in_with_password(client, "ada")
    assert "not right" in client.post(VERIFY, {"code": codes[0]}).content.decode()


def test_five_wrong_codes_lock_the_second_factor_even_for_the_right_code(client, enrolled):
    _user, device, _codes = enrolled
    log_in_with_password(client, "ada")
    for _ in range(4):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    assert client.post(VERIFY, {"code": "000000"}).status_code == 429
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_every_second_factor_attempt_is_in_the_users_admin_history(client, enrolled):
    user, device, _codes = enrolled
    log_in_with_password(client, "ada")
    client.post(VERIFY, {"code": "000000"})
    client.post(VERIFY, {"code": current_code(device)})
    messages = list(
        LogEntry.objects.filter(object_id=str(user.pk)).values_list("change_message", flat=True)
    )
    assert messages == [
        "Second factor accepted (TOTPDevice).",
        "Second factor refused: wrong code.",
    ]


def test_a_viewer_may_use_the_pages_without_enrolling(client, make_user):
    make_user("Viewer", username="vic")
    log_in_with_password(client, "vic")
    assert client.get(reverse("partners:organisation-list")).status_code == 200


def test_the_next_address_must_stay_on_this_site(client, enrolled):
    _user, device, _codes = enrolled
    log_in_with_password(client, "ada")
    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"
