// Personal fields, data keys and the sealing log, on a real RocksDB log.
#include <sys/stat.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/privacy.pb.h"
#include "services/privacy/aead.h"
#include "services/privacy/data_key_store.h"
#include "services/privacy/key_encryption_key.h"
#include "services/privacy/personal_fields.h"
#include "services/privacy/sealing_event_log.h"
#include "storage/event_log.h"
#include "storage/test_util.h"

namespace renkei::privacy {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

template <typename T>
T Parse(const std::string& text) {
  T out;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &out))
      << text;
  return out;
}

v1::EntryRecorded Contact(const std::string& entry_id,
                          const std::string& subjects,
                          const std::string& summary) {
  return Parse<v1::EntryRecorded>(absl::StrCat(
      R"pb(entry { entry_id: ")pb", entry_id, R"pb(" )pb", subjects,
      R"pb(categories: INFORMATION_CATEGORY_DAILY_LIFE
           contact { channel: CONTACT_CHANNEL_PHONE
                     counterpart_agency_ids: "school"
                     summary: ")pb",
      summary, R"pb(" } })pb"));
}

TEST(PersonalFieldsTest, SplitMovesOnlyPersonalFieldsAndMergeRestores) {
  const v1::EntryRecorded original =
      Contact("e1", R"(subject_ids: "child" subject_ids: "mother")", "MARK");
  v1::EntryRecorded event = original;
  v1::EntryRecorded personal;
  ASSERT_TRUE(SplitPersonal(&event, &personal));
  EXPECT_EQ(event.entry().contact().summary(), "");
  EXPECT_EQ(event.entry().contact().counterpart_agency_ids(0), "school");
  EXPECT_EQ(event.entry().subject_ids_size(), 2);
  EXPECT_EQ(personal.entry().contact().summary(), "MARK");
  EXPECT_EQ(personal.entry().entry_id(), "");
  EXPECT_THAT(NamedSubjects(original), UnorderedElementsAre("child", "mother"));
  MergePersonal(&event, &personal);
  EXPECT_EQ(event.SerializeAsString(), original.SerializeAsString());
}

TEST(PersonalFieldsTest, RepeatedMessagesSplitElementByElement) {
  auto opened = Parse<v1::CaseOpened>(R"pb(
    case_id: "c1"
    title: "T"
    intake {
      noticed_by_agency_id: "nursery"
      observation: "O"
      relays { agency_id: "a" note: "N1" }
      relays { agency_id: "b" note: "N2" }
    })pb");
  const v1::CaseOpened original = opened;
  v1::CaseOpened personal;
  ASSERT_TRUE(SplitPersonal(&opened, &personal));
  EXPECT_EQ(opened.title(), "");
  ASSERT_EQ(opened.intake().relays_size(), 2);
  EXPECT_EQ(opened.intake().relays(1).agency_id(), "b");
  EXPECT_EQ(opened.intake().relays(1).note(), "");
  EXPECT_EQ(opened.intake().noticed_by_agency_id(), "nursery");
  MergePersonal(&opened, &personal);
  EXPECT_EQ(opened.SerializeAsString(), original.SerializeAsString());
}

TEST(PersonalFieldsTest, EventsWithoutPersonalDataAreLeftAlone) {
  auto closed = Parse<v1::CaseReopened>(R"pb(reason: "back")pb");
  v1::CaseReopened personal;
  EXPECT_FALSE(SplitPersonal(&closed, &personal));
  EXPECT_EQ(closed.reason(), "back");
}

TEST(KeyEncryptionKeyTest, FileMustBePrivateWellFormedAndOutsideTheData) {
  storage::testing::TempDir dir;
  const std::string path = dir.Sub("kek");
  ASSERT_TRUE(GenerateKeyEncryptionKeyFile(path).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(GenerateKeyEncryptionKeyFile(path)));
  auto kek = ReadKeyEncryptionKeyFile(path, dir.Sub("data"));
  ASSERT_TRUE(kek.ok()) << kek.status();
  EXPECT_EQ(kek->bytes.size(), kKeyBytes);

  ::chmod(path.c_str(), 0644);
  auto open = ReadKeyEncryptionKeyFile(path, dir.Sub("data"));
  EXPECT_TRUE(absl::IsFailedPrecondition(open.status()));
  EXPECT_THAT(open.status().message(), HasSubstr("readable by others"));
  ::chmod(path.c_str(), 0600);

  auto inside = ReadKeyEncryptionKeyFile(path, dir.path());
  EXPECT_THAT(inside.status().message(),
              HasSubstr("inside the data directory"));

  EXPECT_TRUE(absl::IsInvalidArgument(
      ParseKeyEncryptionKey("abc", "the environment").status()));
  EXPECT_TRUE(
      ParseKeyEncryptionKey(std::string(64, 'a'), "the environment").ok());
}

KeyEncryptionKey Kek(char fill) {
  return KeyEncryptionKey{std::string(kKeyBytes, fill)};
}

TEST(DataKeyStoreTest, WrongKeyRefusedRotationKeepsKeysDestroyedStayGone) {
  storage::testing::TempDir dir;
  std::string before;
  {
    auto store = DataKeyStore::Open(dir.Sub("keys"), Kek('a'), nullptr);
    ASSERT_TRUE(store.ok()) << store.status();
    auto key = (*store)->GetOrCreate(CaseKeyId("c1"));
    ASSERT_TRUE(key.ok());
    before = key->bytes;
    ASSERT_TRUE((*store)->GetOrCreate(SubjectKeyId("c1", "child")).ok());
  }
  auto wrong = DataKeyStore::Open(dir.Sub("keys"), Kek('b'), nullptr);
  ASSERT_TRUE(absl::IsFailedPrecondition(wrong.status()));
  EXPECT_THAT(wrong.status().message(), HasSubstr("does not open"));
  {
    auto store = DataKeyStore::Open(dir.Sub("keys"), Kek('a'), nullptr);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Rotate(Kek('b')).ok());
    EXPECT_EQ((*store)->kek_version(), 2u);
  }
  EXPECT_FALSE(DataKeyStore::Open(dir.Sub("keys"), Kek('a'), nullptr).ok());
  auto store = DataKeyStore::Open(dir.Sub("keys"), Kek('b'), nullptr);
  ASSERT_TRUE(store.ok()) << store.status();
  auto key = (*store)->Get(CaseKeyId("c1"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->bytes, before);

  ASSERT_TRUE((*store)->Destroy(SubjectKeyId("c1", "child")).ok());
  auto gone = (*store)->Get(SubjectKeyId("c1", "child"));
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->destroyed);
  EXPECT_TRUE(absl::IsFailedPrecondition(
      (*store)->GetOrCreate(SubjectKeyId("c1", "child")).status()));
  EXPECT_TRUE(absl::IsDataLoss((*store)->Get("case/never").status()));
}

class SealingLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    sealing_.reset();
    keys_.reset();
    log_.reset();
    storage::EventLogOptions options;
    options.path = dir_.Sub("log");
    auto log = storage::EventLog::Open(options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    auto keys = DataKeyStore::Open(dir_.Sub("keys"), Kek('k'), nullptr);
    ASSERT_TRUE(keys.ok()) << keys.status();
    keys_ = std::move(*keys);
    auto sealing = SealingEventLog::Open(log_.get(), keys_.get());
    ASSERT_TRUE(sealing.ok()) << sealing.status();
    sealing_ = std::move(*sealing);
  }

  void Append(const google::protobuf::Message& payload, uint64_t n) {
    storage::AppendRequest request;
    request.stream_id = "case-c1";
    v1::ProposedEvent& e = request.events.emplace_back();
    e.set_event_id(storage::testing::TestUuid(n));
    e.set_event_type(payload.GetDescriptor()->full_name());
    e.mutable_payload()->PackFrom(payload);
    auto appended = sealing_->Append(request);
    ASSERT_TRUE(appended.ok()) << appended.status();
    // A retry of the same request is recognised although sealing is random.
    auto retried = sealing_->Append(request);
    ASSERT_TRUE(retried.ok()) << retried.status();
    EXPECT_TRUE(retried->duplicate);
  }

  std::vector<v1::EventEnvelope> Read(storage::EventLog& log) {
    storage::ReadStreamQuery query;
    query.stream_id = "case-c1";
    auto events = log.ReadStream(query);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::EventEnvelope>{};
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<DataKeyStore> keys_;
  std::unique_ptr<SealingEventLog> sealing_;
};

std::string Summary(const v1::EventEnvelope& e) {
  v1::EntryRecorded recorded;
  EXPECT_TRUE(e.payload().UnpackTo(&recorded));
  return recorded.entry().contact().summary();
}

TEST_F(SealingLogTest, SealedAtRestReadableThroughTheLogShreddedByErasure) {
  Append(Contact("e1", R"(subject_ids: "child")", "CHILD-MARK"), 1);
  Append(Contact("e2", R"(subject_ids: "mother")", "MOTHER-MARK"), 2);
  Append(Contact("e3", R"(subject_ids: "child" subject_ids: "mother")",
                 "BOTH-MARK"),
         3);

  for (const auto& e : Read(*log_)) {
    EXPECT_TRUE(e.payload().Is<v1::SealedPayload>());
    EXPECT_FALSE(absl::StrContains(e.payload().value(), "MARK"));
  }
  auto plain = Read(*sealing_);
  ASSERT_EQ(plain.size(), 3u);
  EXPECT_EQ(Summary(plain[0]), "CHILD-MARK");
  EXPECT_EQ(Summary(plain[2]), "BOTH-MARK");

  Append(Parse<v1::SubjectErased>(R"pb(subject_id: "child" reason: "r")pb"), 4);
  Reopen();  // nothing of the key is cached or left pending
  auto after = Read(*sealing_);
  ASSERT_EQ(after.size(), 4u);
  EXPECT_TRUE(after[0].content_erased());
  EXPECT_EQ(Summary(after[0]), "");
  v1::EntryRecorded public_part;
  ASSERT_TRUE(after[0].payload().UnpackTo(&public_part));
  EXPECT_EQ(public_part.entry().entry_id(), "e1");
  EXPECT_FALSE(after[1].content_erased());
  EXPECT_EQ(Summary(after[1]), "MOTHER-MARK");
  EXPECT_TRUE(after[2].content_erased());
  auto chain = sealing_->VerifyChain(0, 0);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->ok) << chain->reason;

  // Nothing more may be recorded about an erased subject.
  storage::AppendRequest request;
  request.stream_id = "case-c1";
  v1::ProposedEvent& e = request.events.emplace_back();
  e.set_event_id(storage::testing::TestUuid(9));
  e.set_event_type("renkei.v1.EntryRecorded");
  e.mutable_payload()->PackFrom(Contact("e9", R"(subject_ids: "child")", "x"));
  EXPECT_TRUE(absl::IsFailedPrecondition(sealing_->Append(request).status()));
}

TEST_F(SealingLogTest, CaseErasureShredsEverySubjectAndTheCaseItself) {
  Append(Parse<v1::CaseOpened>(R"pb(case_id: "c1" title: "TITLE-MARK")pb"), 1);
  Append(Contact("e1", R"(subject_ids: "mother")", "MOTHER-MARK"), 2);
  Append(Parse<v1::CaseErased>(R"pb(reason: "retention")pb"), 3);
  auto after = Read(*sealing_);
  ASSERT_EQ(after.size(), 3u);
  EXPECT_TRUE(after[0].content_erased());
  EXPECT_TRUE(after[1].content_erased());
  // The case key is gone for good: nothing new is sealed under it.
  EXPECT_TRUE(
      absl::IsFailedPrecondition(keys_->GetOrCreate(CaseKeyId("c1")).status()));
}

TEST_F(SealingLogTest, AnErasureInterruptedByACrashIsFinishedAtOpen) {
  Append(Contact("e1", R"(subject_ids: "child")", "CHILD-MARK"), 1);
  // As if the server died between appending SubjectErased and destroying
  // the key: the mark is left and the event is in the log.
  ASSERT_TRUE(
      keys_->MarkErasurePending(SubjectKeyId("c1", "child"), "case-c1").ok());
  storage::AppendRequest request;
  request.stream_id = "case-c1";
  v1::ProposedEvent& e = request.events.emplace_back();
  e.set_event_id(storage::testing::TestUuid(2));
  e.set_event_type("renkei.v1.SubjectErased");
  e.mutable_payload()->PackFrom(
      Parse<v1::SubjectErased>(R"pb(subject_id: "child")pb"));
  ASSERT_TRUE(log_->Append(request).ok());  // the raw log: no key destroyed
  EXPECT_FALSE(Read(*sealing_)[0].content_erased());
  Reopen();
  EXPECT_TRUE(Read(*sealing_)[0].content_erased());
  EXPECT_TRUE(keys_->PendingErasures()->empty());
}

}  // namespace
}  // namespace renkei::privacy
