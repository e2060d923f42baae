// Every drizzle update and delete names its rows with .where(...). eslint-plugin-drizzle's own
// rules match the receiver by variable name (db, tx), so getDb().update(...) or a database under
// another name slipped past them; this rule asks the type checker whether the receiver is a
// drizzle database or transaction, whatever it is called.

const DRIZZLE_METHODS = ['select', 'insert', 'update', 'delete'];

function isDrizzleDatabase(type) {
  return DRIZZLE_METHODS.every((m) => type.getProperty(m) !== undefined) && type.getProperty('run') !== undefined;
}

/** The outermost call of a method chain that starts at `call`, and whether .where(...) is in it. */
function chainHasWhere(call) {
  let node = call;
  while (node.parent && node.parent.type === 'MemberExpression' && node.parent.object === node) {
    const member = node.parent;
    if (member.property.type === 'Identifier' && member.property.name === 'where') return true;
    if (member.parent && member.parent.type === 'CallExpression' && member.parent.callee === member) node = member.parent;
    else return false;
  }
  return false;
}

const plugin = {
  rules: {
    'drizzle-where': {
      meta: {
        type: 'problem',
        docs: { description: 'drizzle update/delete must have a where clause, whatever the database variable is called' },
        messages: {
          missing: '{{method}} 没有 .where(...):会改动整张表。请用 .{{method}}(table)…where(...) 指明要改的行。',
        },
        schema: [],
      },
      create(context) {
        const services = context.sourceCode.parserServices;
        if (!services?.program || !services.esTreeNodeToTSNodeMap) return {};
        const checker = services.program.getTypeChecker();
        return {
          CallExpression(node) {
            const callee = node.callee;
            if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
            const method = callee.property.name;
            if (method !== 'update' && method !== 'delete') return;
            const receiver = checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(callee.object));
            if (!isDrizzleDatabase(checker.getApparentType(receiver))) return;
            if (!chainHasWhere(node)) context.report({ node, messageId: 'missing', data: { method } });
          },
        };
      },
    },
  },
};

export default plugin;
