package dev.tablevault.api;

/**
 * Mode {@code whole-column}: called once, returns all of its columns at once. As the index builder it
 * defines the rows; as a column builder it must return exactly {@link BuildContext#rowCount()} rows. The
 * frame's columns must be the spec's {@code changedColumns}, in order, with the spec's types.
 */
@FunctionalInterface
public interface FrameBuilder extends Builder {
    Frame build(BuildContext context) throws Exception;
}
