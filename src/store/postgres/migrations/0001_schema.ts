// SCAFFOLD: replaced by the full schema.
export default `CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);`;
