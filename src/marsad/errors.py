"""Every exception Marsad raises on purpose, named for the domain.

The CLI prints a `MarsadError` as one line and exits non-zero; anything else is a bug.
"""

from __future__ import annotations


class MarsadError(Exception):
    """Base of all deliberate Marsad errors; the message is meant for the user."""


class ConfigError(MarsadError):
    """A setting is missing or malformed."""


class NotInitialised(MarsadError):
    """The home or database has not been set up (or is behind the code's schema)."""


class DatabaseUnavailable(MarsadError):
    """The database server cannot be reached."""


class UnknownStage(MarsadError):
    """A stage name that no installed package registers."""


class StageDependencyError(MarsadError):
    """Stages require each other in a cycle or require a stage that is not installed."""


class CaptureError(MarsadError):
    """Capturing a file or URL failed; the failure is recorded as a Capture with an error."""


class CaptureNotFound(CaptureError):
    """A local path that does not exist or cannot be read."""


class CaptureTooLarge(CaptureError):
    """The content is larger than MARSAD_MAX_CAPTURE_BYTES."""


class FetchError(CaptureError):
    """An HTTP fetch failed (network error, timeout, HTTP error status)."""

    def __init__(self, message: str, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status


class FetchRefused(FetchError):
    """The fetcher refused a URL on safety grounds (private address, bad scheme, redirects)."""


class WarcMalformed(CaptureError):
    """A WARC file being imported is not a WARC, or is damaged from some record on."""


class NoPostsFound(CaptureError):
    """A Telegram channel page or export without readable posts (no such channel, private
    channel, web preview switched off, an export of service messages only)."""


class InvalidLocator(MarsadError):
    """A source locator its kind cannot use (a channel name with forbidden characters, ...)."""


class UnsupportedFormat(MarsadError):
    """Content that no extractor can read (binary, empty, unknown type)."""


class ExtractionFailed(MarsadError):
    """An extractor read the content but found no text in it."""


class DecodingError(MarsadError):
    """Bytes whose character encoding could not be determined."""


class EvidenceNotWritten(CaptureError):
    """The blob store or a WARC file could not be written (disk full, over quota, read-only):
    the capture is recorded as failed and nothing points at the bytes that were not kept."""

    @classmethod
    def from_os_error(cls, error: OSError, what: str) -> EvidenceNotWritten:
        reason = error.strerror or str(error) or error.__class__.__name__
        return cls(f"{what} could not be written: {reason}")


class BlobMissing(MarsadError):
    """A blob referenced by a capture is not in the blob store."""


class ExportError(MarsadError):
    """An unknown export kind or format."""


class CaptureUnknown(MarsadError):
    """A capture id that is not in the database."""


class InvalidCalendarDate(MarsadError, ValueError):
    """A day, month or year that the calendar does not have (31 February, 13th Jalali month).

    Date readers catch it and skip the expression; it is never shown to a user on its own."""


class FetchTransient(FetchError):
    """A fetch that may succeed when tried again: timeout, connection error, HTTP 5xx/429."""


class RobotsDisallowed(FetchRefused):
    """robots.txt asks our User-Agent not to fetch the URL (a source may opt out)."""


class NotModified(MarsadError):
    """A conditional GET answered 304: the content is unchanged since the last capture.

    Not a failure and not a capture; the crawler counts it as unchanged."""


class MalformedContent(CaptureError):
    """A feed or sitemap that cannot be parsed (broken XML, not a feed)."""


class UnknownSourceKind(MarsadError):
    """A source kind no installed collector handles."""


class SourceNotFound(MarsadError):
    """No source with the given name."""


class SourceExists(MarsadError):
    """A source with the given name already exists."""


class KnowledgeBaseError(MarsadError):
    """A knowledge-base file, import or entry is malformed; the message names file, entry, field."""


class EntityNotFound(MarsadError):
    """No entity has the name, alias or id asked for."""


class WorkerError(MarsadError):
    """The distributed workers cannot do what was asked (no broker, a bad task request)."""


class BrokerUnavailable(WorkerError):
    """The message broker (MARSAD_BROKER_URL) cannot be reached."""


class ReferralError(MarsadError):
    """A referral cannot be made as asked (unknown case, platform, reason or capture)."""


class PackageInvalid(ReferralError):
    """A referral package does not verify: a file is missing, altered or unlisted."""


class TranslationError(MarsadError):
    """Translating a document failed; the document stays untranslated and is retried later."""


class UnknownTranslationBackend(TranslationError):
    """A translation backend name that no installed backend has."""


class TranslationBackendNotConfigured(TranslationError):
    """A backend was chosen without the settings it needs (URL, model directory, ...)."""


class TranslationModelMissing(TranslationBackendNotConfigured):
    """A local MT model directory or Argos package that is not there or is incomplete."""


class TranslationUnavailable(TranslationError):
    """The backend cannot be reached (connection refused, DNS, a library not installed), or
    it failed several documents in a row and is rested for a while."""


class TranslationTimeout(TranslationError):
    """The backend did not answer within MARSAD_TRANSLATE_TIMEOUT seconds."""


class TranslationRejected(TranslationError):
    """The backend answered with an error status or a response that breaks its API's shape
    (wrong number of segments, missing fields)."""


class DocumentUnknown(MarsadError):
    """A document id that is not in the database."""


class AlertRuleError(MarsadError):
    """An alert rule that cannot work: an unknown condition, channel or delivery mode, a
    webhook without a URL, an e-mail rule without recipients, an unknown rule id."""


class AlertDeliveryFailed(MarsadError):
    """A channel could not hand an alert over (receiver down, HTTP error, SMTP refusal).

    `retryable` is False when trying again cannot help (HTTP 4xx, a refused recipient)."""

    def __init__(self, message: str, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class ReportError(MarsadError):
    """A report that cannot be built: unknown citations (named in the message), a bad
    directive, an unknown output format."""


class EventNotFound(MarsadError):
    """No event has the id asked for."""


class InvalidCorrection(MarsadError):
    """An analyst's event correction that cannot apply (unknown type or role, bad date)."""


class AccountError(MarsadError):
    """A user account that cannot be created or changed (taken name, unknown role, ...)."""


class UserNotFound(AccountError):
    """No user account with the given name or id."""


class SourceRefused(MarsadError):
    """A source the web workbench may not add: a file kind outside the operator's import
    folder, a path inside MARSAD_HOME, or a kind only `marsad source add` may create."""
