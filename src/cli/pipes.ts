/** What a shell reports for a program killed by SIGPIPE (128 + 13), which is how kubectl ends in `| head`. */
export const BROKEN_PIPE_EXIT = 141

/**
 * Output to a closed pipe (`xctl get wep -A -o yaml | head -1`) ends the run quietly, as it ends kubectl: no
 * "Unhandled 'error' event", no stack trace, and the status kubectl gets from SIGPIPE under `set -o pipefail`.
 * Node ignores SIGPIPE, so the write fails with EPIPE instead; the rest of the output has nowhere to go.
 */
export function endQuietlyOnClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(BROKEN_PIPE_EXIT)
      throw error
    })
  }
}
