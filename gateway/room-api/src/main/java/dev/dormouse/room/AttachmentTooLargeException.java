package dev.dormouse.room;

/** A socket attachment larger than the room's {@code spec.limits.maxAttachmentBytes}. */
public class AttachmentTooLargeException extends IllegalArgumentException {

  public AttachmentTooLargeException(int size, int limit) {
    super(
        "attachment of " + size + " bytes exceeds spec.limits.maxAttachmentBytes (" + limit + ")");
  }
}
