// A second process holding a run store's file under an exclusive lock (for open-database.test.ts):
// it tells its parent once the lock is held, and commits when the parent says so.
import Database from 'better-sqlite3';

const db = new Database(process.argv[2]);
db.exec('BEGIN EXCLUSIVE');
db.exec('CREATE TABLE lock_holder (note TEXT)');
db.exec("INSERT INTO lock_holder VALUES ('held')");
process.send('locked');
process.on('message', () => {
  db.exec('COMMIT');
  db.close();
  process.exit(0);
});
