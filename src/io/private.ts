import { chmodSync, closeSync, existsSync, fchmodSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The store holds secrets (SMTP, Twilio, IMAP, webhook keys), so what crm creates is its
 * owner's alone: directories 0700, files 0600. The modes are set explicitly (chmod), not left
 * to the umask, which only ever removes bits and is 022 on most machines.
 */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** mkdir -p, each directory it creates 0700; directories that exist are left as they are. */
export function mkdirPrivate(dir: string): void {
  if (existsSync(dir)) return;
  mkdirPrivate(dirname(dir));
  try {
    mkdirSync(dir, { mode: PRIVATE_DIR });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return; // another process made it first
    throw err;
  }
  chmodSync(dir, PRIVATE_DIR);
}

/**
 * openSync with mode 0600 for a file it creates; an existing file of ours is made 0600 too
 * (one written by an older crm with the umask's 0644). Another user's file is left alone.
 */
export function openPrivate(file: string, flags: string): number {
  const fd = openSync(file, flags, PRIVATE_FILE);
  try {
    fchmodSync(fd, PRIVATE_FILE);
  } catch {
    // not our file: its owner keeps its mode
  }
  return fd;
}

/** writeFileSync, 0600 whatever the umask and whatever mode the file had. */
export function writePrivateFile(file: string, data: string | Buffer): void {
  const fd = openPrivate(file, 'w');
  try {
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** Creates an empty file 0600 if it does not exist, so that whoever fills it (SQLite) keeps that mode. */
export function touchPrivate(file: string): void {
  closeSync(openPrivate(file, 'a'));
}
