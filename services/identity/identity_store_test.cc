// IdentityStore: passwords, the failure policy and sessions, with time
// passed in (no clock is read).
#include "services/identity/identity_store.h"

#include <gtest/gtest.h>

#include "storage/test_util.h"

namespace renkei::identity {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);
constexpr char kPassword[] = "correct horse battery";

absl::Status Anyone(const std::string&) { return absl::OkStatus(); }

template <typename T>
bool HasRecord(const std::vector<SecurityRecord>& records) {
  for (const SecurityRecord& r : records) {
    if (std::holds_alternative<T>(r)) return true;
  }
  return false;
}

class IdentityStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(kT0); }

  void Reopen(absl::Time now) {
    store_.reset();
    SignInPolicy policy;
    policy.cost = HashCost::Minimum();
    auto opened = IdentityStore::Open(dir_.Sub("identity"), policy, now);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }

  void SetPassword(const std::string& staff, const std::string& password) {
    auto set = store_->SetPassword(staff, password, "admin", true, kT0);
    ASSERT_TRUE(set.result.ok()) << set.result.status();
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<IdentityStore> store_;
};

TEST_F(IdentityStoreTest, PasswordsAreArgon2idHashesThatVerify) {
  auto hash = HashPassword(kPassword, HashCost::Minimum());
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_EQ(hash->find(kPassword), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*hash, kPassword));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery!"));
}

TEST_F(IdentityStoreTest, ShortOrHugePasswordsAreRefused) {
  auto set = store_->SetPassword("nurse", "short", "admin", true, kT0);
  EXPECT_EQ(set.result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(set.result.status().message().find("at least 12"),
            std::string::npos);
  // Twelve Japanese characters are twelve characters, not 36 bytes' worth.
  EXPECT_TRUE(ValidateNewPassword("こんにちはさようなら元気").ok());
  EXPECT_FALSE(ValidateNewPassword("こんにちは").ok());
  EXPECT_EQ(ValidateNewPassword(std::string(1025, 'x')).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(IdentityStoreTest, SignInGivesATokenThatAuthenticatesUntilItExpires) {
  SetPassword("nurse", kPassword);
  auto in = store_->SignIn("nurse", kPassword, kT0, Anyone);
  ASSERT_TRUE(in.result.ok()) << in.result.status();
  EXPECT_TRUE(HasRecord<v1::SignInSucceeded>(in.records));
  const std::string token = in.result->token;
  EXPECT_TRUE(token.starts_with(kTokenPrefix));
  auto session = store_->Authenticate(token, kT0 + absl::Hours(7));
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(session->staff_id, "nurse");
  auto late = store_->Authenticate(token, kT0 + absl::Hours(8));
  EXPECT_EQ(late.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(late.status().message().find("expired"), std::string::npos);
  EXPECT_EQ(store_->Authenticate("rks_forged", kT0).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(IdentityStoreTest, SessionsSurviveAReopenButOnlyAsDigests) {
  SetPassword("nurse", kPassword);
  auto in = store_->SignIn("nurse", kPassword, kT0, Anyone);
  ASSERT_TRUE(in.result.ok());
  Reopen(kT0 + absl::Minutes(1));
  auto session = store_->Authenticate(in.result->token, kT0);
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(session->session_id, in.result->session.session_id);
  // Expired sessions are dropped at open.
  Reopen(kT0 + absl::Hours(9));
  EXPECT_EQ(store_->SessionCount(), 0u);
}

TEST_F(IdentityStoreTest, AWrongPasswordAndAnUnknownIdGetOneAnswer) {
  SetPassword("nurse", kPassword);
  auto wrong = store_->SignIn("nurse", "not the password", kT0, Anyone);
  auto unknown = store_->SignIn("nobody", kPassword, kT0, Anyone);
  EXPECT_EQ(wrong.result.status(), unknown.result.status());
  EXPECT_EQ(wrong.result.status().code(), absl::StatusCode::kUnauthenticated);
  ASSERT_EQ(wrong.records.size(), 1u);
  EXPECT_EQ(std::get<v1::SignInFailed>(wrong.records[0]).failure(),
            v1::SIGN_IN_FAILURE_WRONG_PASSWORD);
  EXPECT_EQ(std::get<v1::SignInFailed>(unknown.records[0]).failure(),
            v1::SIGN_IN_FAILURE_UNKNOWN_ACCOUNT);
}

TEST_F(IdentityStoreTest, RepeatedFailuresAreDelayedThenLocked) {
  SetPassword("nurse", kPassword);
  absl::Time now = kT0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        store_->SignIn("nurse", "guess", now, Anyone).result.status().code(),
        absl::StatusCode::kUnauthenticated);
  }
  // A fourth attempt at once waits (even with the right password).
  auto hurried = store_->SignIn("nurse", kPassword, now, Anyone);
  EXPECT_EQ(hurried.result.status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_NE(hurried.result.status().message().find("wait 2s"),
            std::string::npos)
      << hurried.result.status();
  now += absl::Seconds(2);
  EXPECT_FALSE(store_->SignIn("nurse", "guess", now, Anyone).result.ok());
  now += absl::Seconds(4);
  auto fifth = store_->SignIn("nurse", "guess", now, Anyone);
  EXPECT_TRUE(HasRecord<v1::AccountLocked>(fifth.records));
  // Locked: the right password does not sign in, even after the delay, and
  // a restart does not unlock.
  Reopen(now);
  now += absl::Minutes(1);
  auto locked = store_->SignIn("nurse", kPassword, now, Anyone);
  EXPECT_EQ(locked.result.status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(locked.result.status().message().find("locked"), std::string::npos);
  // It unlocks when the lockout ends...
  now += absl::Minutes(15);
  EXPECT_TRUE(store_->SignIn("nurse", kPassword, now, Anyone).result.ok());
}

TEST_F(IdentityStoreTest, AnAdministratorsNewPasswordUnlocksAndEndsSessions) {
  SetPassword("nurse", kPassword);
  auto in = store_->SignIn("nurse", kPassword, kT0, Anyone);
  ASSERT_TRUE(in.result.ok());
  for (int i = 0; i < 5; ++i) {
    (void)store_->SignIn("nurse", "guess", kT0 + absl::Minutes(i), Anyone);
  }
  ASSERT_EQ(store_->SignIn("nurse", kPassword, kT0 + absl::Minutes(6), Anyone)
                .result.status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  auto reset = store_->SetPassword("nurse", "a brand new secret", "admin", true,
                                   kT0 + absl::Minutes(7));
  ASSERT_TRUE(reset.result.ok());
  EXPECT_EQ(*reset.result, 1u);
  EXPECT_TRUE(HasRecord<v1::SessionsRevoked>(reset.records));
  EXPECT_FALSE(store_->Authenticate(in.result->token, kT0).ok());
  EXPECT_TRUE(store_
                  ->SignIn("nurse", "a brand new secret",
                           kT0 + absl::Minutes(8), Anyone)
                  .result.ok());
}

TEST_F(IdentityStoreTest, ChangingOnesPasswordNeedsTheCurrentOne) {
  SetPassword("nurse", kPassword);
  auto in = store_->SignIn("nurse", kPassword, kT0, Anyone);
  ASSERT_TRUE(in.result.ok());
  auto wrong =
      store_->ChangePassword("nurse", "not it", "another long secret", kT0);
  EXPECT_EQ(wrong.result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(store_->Authenticate(in.result->token, kT0).ok());
  auto changed =
      store_->ChangePassword("nurse", kPassword, "another long secret", kT0);
  ASSERT_TRUE(changed.result.ok()) << changed.result.status();
  EXPECT_FALSE(store_->Authenticate(in.result->token, kT0).ok());
  EXPECT_TRUE(store_->Authenticate(changed.result->token, kT0).ok());
  EXPECT_FALSE(store_->SignIn("nurse", kPassword, kT0, Anyone).result.ok());
}

TEST_F(IdentityStoreTest, SignOutAndRevocationEndSessions) {
  SetPassword("nurse", kPassword);
  auto a = store_->SignIn("nurse", kPassword, kT0, Anyone);
  auto b = store_->SignIn("nurse", kPassword, kT0, Anyone);
  ASSERT_TRUE(a.result.ok() && b.result.ok());
  auto out = store_->SignOut(a.result->token);
  ASSERT_TRUE(out.result.ok());
  EXPECT_TRUE(HasRecord<v1::SignedOut>(out.records));
  EXPECT_FALSE(store_->Authenticate(a.result->token, kT0).ok());
  EXPECT_TRUE(store_->Authenticate(b.result->token, kT0).ok());
  auto revoked = store_->RevokeAll("nurse", "departure");
  ASSERT_TRUE(revoked.result.ok());
  EXPECT_EQ(*revoked.result, 1u);
  EXPECT_FALSE(store_->Authenticate(b.result->token, kT0).ok());
}

TEST_F(IdentityStoreTest, TheDirectoryHasTheLastWord) {
  SetPassword("nurse", kPassword);
  auto in = store_->SignIn("nurse", kPassword, kT0, [](const std::string&) {
    return absl::PermissionDeniedError("has left");
  });
  EXPECT_EQ(in.result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->SessionCount(), 0u);
}

}  // namespace
}  // namespace renkei::identity
