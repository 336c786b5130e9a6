import { Foundation1764086400000 } from './1764086400000-Foundation';
import { SharingAndBulletins1764172800000 } from './1764172800000-SharingAndBulletins';
import { AuditTrail1764259200000 } from './1764259200000-AuditTrail';
import { TenantIsolation1764345600000 } from './1764345600000-TenantIsolation';
import { AlertSubscriptions1764432000000 } from './1764432000000-AlertSubscriptions';
import { NotificationOutbox1764518400000 } from './1764518400000-NotificationOutbox';
import { Vetting1764604800000 } from './1764604800000-Vetting';
import { Whistleblowing1764691200000 } from './1764691200000-Whistleblowing';
import { PublicAlerts1764777600000 } from './1764777600000-PublicAlerts';
import { Operations1764864000000 } from './1764864000000-Operations';
import { ClosingSeams1764950400000 } from './1764950400000-ClosingSeams';
import { LoginGate1765036800000 } from './1765036800000-LoginGate';
import { BulletinEvents1765123200000 } from './1765123200000-BulletinEvents';
import { IntakeGuard1765209600000 } from './1765209600000-IntakeGuard';
import { LoginLockNotice1765296000000 } from './1765296000000-LoginLockNotice';
import { AudiencePreview1765382400000 } from './1765382400000-AudiencePreview';
import { ConsoleDesk1765468800000 } from './1765468800000-ConsoleDesk';
import { AdmittingRulesCache1765555200000 } from './1765555200000-AdmittingRulesCache';
import { AuditChainClaim1765641600000 } from './1765641600000-AuditChainClaim';
import { RealtimeNamedUsers1765728000000 } from './1765728000000-RealtimeNamedUsers';
import { EmailBatches1765814400000 } from './1765814400000-EmailBatches';
import { AdmittedAmberRules1765900800000 } from './1765900800000-AdmittedAmberRules';
import { Onboarding1765987200000 } from './1765987200000-Onboarding';
import { AudienceAdmits1766073600000 } from './1766073600000-AudienceAdmits';
import { VettingRetention1766160000000 } from './1766160000000-VettingRetention';
import { CaseDeadlines1766246400000 } from './1766246400000-CaseDeadlines';
import { PlatformDesk1766332800000 } from './1766332800000-PlatformDesk';
import { NotificationRetry1766419200000 } from './1766419200000-NotificationRetry';
import { OrganisationProfile1766505600000 } from './1766505600000-OrganisationProfile';
import { AlertToAction1766592000000 } from './1766592000000-AlertToAction';
import { MachineClients1766678400000 } from './1766678400000-MachineClients';
import { FeedOrder1766764800000 } from './1766764800000-FeedOrder';
import { MachineWrites1766851200000 } from './1766851200000-MachineWrites';
import { Webhooks1766937600000 } from './1766937600000-Webhooks';
import { RetractionInFeed1767024000000 } from './1767024000000-RetractionInFeed';
import { TaxiiStatusRetention1767110400000 } from './1767110400000-TaxiiStatusRetention';
import { SharedThrottles1767196800000 } from './1767196800000-SharedThrottles';
import { AuditChainsPerOrganisation1767283200000 } from './1767283200000-AuditChainsPerOrganisation';
import { FairWebhookDelivery1767369600000 } from './1767369600000-FairWebhookDelivery';
import { HeavyWorkBudget1767456000000 } from './1767456000000-HeavyWorkBudget';
import { CaseReferences1767542400000 } from './1767542400000-CaseReferences';
import { SavedViews1767628800000 } from './1767628800000-SavedViews';
import { EmailSendingBudget1767715200000 } from './1767715200000-EmailSendingBudget';
import { EmailFanoutPacing1767801600000 } from './1767801600000-EmailFanoutPacing';
import { WebhookBacklogs1767888000000 } from './1767888000000-WebhookBacklogs';
import { OrganisationSignIn1767974400000 } from './1767974400000-OrganisationSignIn';
import { Passkeys1768060800000 } from './1768060800000-Passkeys';
import { PhishingResistantSignIn1768147200000 } from './1768147200000-PhishingResistantSignIn';
import { SignInFactorReset1768233600000 } from './1768233600000-SignInFactorReset';
import { RecoveryCodes1768320000000 } from './1768320000000-RecoveryCodes';
import { TaxiiPaging1768406400000 } from './1768406400000-TaxiiPaging';
import { IndicatorTypes1768492800000 } from './1768492800000-IndicatorTypes';
import { Correlation1768579200000 } from './1768579200000-Correlation';
import { CorrelationByRecency1768665600000 } from './1768665600000-CorrelationByRecency';
import { PersonalDataRetention1768752000000 } from './1768752000000-PersonalDataRetention';
import { DataSubjectRights1768838400000 } from './1768838400000-DataSubjectRights';
import { BulletinRetention1768924800000 } from './1768924800000-BulletinRetention';
import { KeyRotation1769011200000 } from './1769011200000-KeyRotation';
import { AuditPruning1769097600000 } from './1769097600000-AuditPruning';
import { Federation1769184000000 } from './1769184000000-Federation';
import { FederationTombstones1769270400000 } from './1769270400000-FederationTombstones';
import { FederationRequeue1769356800000 } from './1769356800000-FederationRequeue';

/** In order; a new migration is appended here (explicit imports survive bundling, globs do not). */
export const migrations = [
  Foundation1764086400000,
  SharingAndBulletins1764172800000,
  AuditTrail1764259200000,
  TenantIsolation1764345600000,
  AlertSubscriptions1764432000000,
  NotificationOutbox1764518400000,
  Vetting1764604800000,
  Whistleblowing1764691200000,
  PublicAlerts1764777600000,
  Operations1764864000000,
  ClosingSeams1764950400000,
  LoginGate1765036800000,
  BulletinEvents1765123200000,
  IntakeGuard1765209600000,
  LoginLockNotice1765296000000,
  AudiencePreview1765382400000,
  ConsoleDesk1765468800000,
  AdmittingRulesCache1765555200000,
  AuditChainClaim1765641600000,
  RealtimeNamedUsers1765728000000,
  EmailBatches1765814400000,
  AdmittedAmberRules1765900800000,
  Onboarding1765987200000,
  AudienceAdmits1766073600000,
  VettingRetention1766160000000,
  CaseDeadlines1766246400000,
  PlatformDesk1766332800000,
  NotificationRetry1766419200000,
  OrganisationProfile1766505600000,
  AlertToAction1766592000000,
  MachineClients1766678400000,
  FeedOrder1766764800000,
  MachineWrites1766851200000,
  Webhooks1766937600000,
  RetractionInFeed1767024000000,
  TaxiiStatusRetention1767110400000,
  SharedThrottles1767196800000,
  AuditChainsPerOrganisation1767283200000,
  FairWebhookDelivery1767369600000,
  HeavyWorkBudget1767456000000,
  CaseReferences1767542400000,
  SavedViews1767628800000,
  EmailSendingBudget1767715200000,
  EmailFanoutPacing1767801600000,
  WebhookBacklogs1767888000000,
  OrganisationSignIn1767974400000,
  Passkeys1768060800000,
  PhishingResistantSignIn1768147200000,
  SignInFactorReset1768233600000,
  RecoveryCodes1768320000000,
  TaxiiPaging1768406400000,
  IndicatorTypes1768492800000,
  Correlation1768579200000,
  CorrelationByRecency1768665600000,
  PersonalDataRetention1768752000000,
  DataSubjectRights1768838400000,
  BulletinRetention1768924800000,
  KeyRotation1769011200000,
  AuditPruning1769097600000,
  Federation1769184000000,
  FederationTombstones1769270400000,
  FederationRequeue1769356800000,
];
