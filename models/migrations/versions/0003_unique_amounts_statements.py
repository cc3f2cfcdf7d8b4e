"""unique amounts and statements: the kode unik on payments, how a payment was confirmed, statement layouts
and proposals

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 09:00:00
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OPEN_CODED = "state = 'pending' AND unique_code > 0"


def upgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unique_code', sa.BigInteger(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('payable_amount', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_via', sa.Enum('staff', 'statement', name='confirmedvia', native_enum=False, length=10), nullable=True))
        batch_op.add_column(sa.Column('reference', sa.String(length=64), nullable=True))
    op.execute("UPDATE payments SET payable_amount = amount + unique_code")
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.alter_column('payable_amount', existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_index('ux_payments_open_payable', ['payable_amount'], unique=True,
                              sqlite_where=sa.text(OPEN_CODED), postgresql_where=sa.text(OPEN_CODED))

    op.create_table('statement_layouts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('header_key', sa.String(length=64), nullable=False),
    sa.Column('amount_column', sa.Integer(), nullable=False),
    sa.Column('time_column', sa.Integer(), nullable=False),
    sa.Column('clock_column', sa.Integer(), nullable=True),
    sa.Column('reference_column', sa.Integer(), nullable=True),
    sa.Column('status_column', sa.Integer(), nullable=True),
    sa.Column('saved_by', sa.BigInteger(), nullable=True),
    sa.Column('saved_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_layouts')),
    sa.UniqueConstraint('header_key', name=op.f('uq_statement_layouts_header_key'))
    )
    op.create_table('statement_proposals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token', sa.String(length=24), nullable=False),
    sa.Column('staff_telegram_id', sa.BigInteger(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('header_key', sa.String(length=64), nullable=False),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.Column('layout', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('state', sa.Enum('asking', 'proposed', 'confirmed', name='proposalstate', native_enum=False, length=10), nullable=False),
    sa.Column('created_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_proposals')),
    sa.UniqueConstraint('token', name=op.f('uq_statement_proposals_token'))
    )


def downgrade() -> None:
    op.drop_table('statement_proposals')
    op.drop_table('statement_layouts')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index('ux_payments_open_payable')
        batch_op.drop_column('reference')
        batch_op.drop_column('confirmed_via')
        batch_op.drop_column('payable_amount')
        batch_op.drop_column('unique_code')
