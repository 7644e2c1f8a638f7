"""Everything cheplan does to the file system, in one place, on the ground floor.

* reading.py: the safe read (a regular file, under the size cap; never a FIFO, a device or a
  directory, and never a wait on one), and the read of files only this user made (the cache);
* locking.py: the exclusive lock on a file being edited;
* temporary.py: the one scheme for temporary names, and the one sweeper of leftovers;
* writing.py: the one atomic write (a temporary file beside the target, synced, renamed over
  it, owner and mode kept, set-id bits dropped), and the all-or-nothing write of a set of files;
* out_files.py: `--out`, which writes a stream (a pipe, a terminal, `/dev/stdout`) and replaces
  a file;
* private.py: the cache directory, its key and its pruning.

Modules above this one say what to read or write and word the errors for their users; none
opens, renames or removes a file itself.
"""
